import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client';
import { errorMessage } from '../api/errors';
import type { Flag, Rule, Segment, Variant } from '../api/types';
import {
  byRank,
  desiredDistributions,
  evenSplit,
  formatTotal,
  parsePercent,
  planRuleUpdate,
  ruleFormError,
  ruleFormFor,
  ruleInputOf,
  segmentKeysOf,
  validateDistribution,
  type RuleFormValue,
  type RuleKind,
} from '../lib/rules';
import { useAsync } from '../lib/useAsync';
import { ConfirmDialog } from './ConfirmDialog';
import { Field, invalidProps } from './Field';
import { Panel } from './Panel';
import { OperatorRadios, SegmentList, SegmentPicker } from './SegmentPicker';
import { SortableCards } from './SortableCards';
import { ErrorState, Spinner } from './States';
import { useToast } from './Toasts';
import { roProps, useReadOnly } from './Meta';
import './flagDetail.css';

const KIND_LABEL: Record<RuleKind, string> = {
  none: 'Default Variant / None',
  single: 'Single Variant',
  multi: 'Multi-Variate',
};
const KIND_HELP: Record<RuleKind, string> = {
  none: "No distribution: the flag's default variant is returned, if any.",
  single: 'Always returns the same variant.',
  multi: 'Returns variants by percentage of entities.',
};

/** Loads the namespace's segments (all pages) for pickers and names. */
export function useSegments(ns: string) {
  return useAsync(async () => {
    const all: Segment[] = [];
    let pageToken = '';
    do {
      const page = await api.listSegments(ns, { limit: 100, pageToken });
      all.push(...page.segments);
      pageToken = page.nextPageToken;
    } while (pageToken);
    return all;
  }, [ns]);
}

export type { RuleFormValue };

export function RulesTab({ ns, flag, onFlagUpdated }: { ns: string; flag: Flag; onFlagUpdated: (f: Flag) => void }) {
  const toast = useToast();
  const readOnly = useReadOnly();
  const rules = useAsync(async () => byRank((await api.listRules(ns, flag.key)).rules), [ns, flag.key]);
  const segments = useSegments(ns);
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const [deleting, setDeleting] = useState<{ rule: Rule; position: number } | null>(null);
  const latest = useRef<Rule[]>([]);
  latest.current = rules.data ?? [];
  const known = useMemo(() => (segments.data ? new Map(segments.data.map((s) => [s.key, s])) : null), [segments.data]);
  const variants = flag.variants ?? [];
  const variantsUrl = `/namespaces/${encodeURIComponent(ns)}/flags/${encodeURIComponent(flag.key)}`;

  if (rules.loading && !rules.data) return <Spinner />;
  if (rules.error || !rules.data) return <ErrorState message={errorMessage(rules.error)} onRetry={() => void rules.reload()} />;
  const list = rules.data;
  const editRule = editing && editing !== 'new' ? list.find((r) => r.id === editing) ?? null : null;

  const create = async (form: RuleFormValue): Promise<boolean> => {
    const rank = latest.current.length + 1;
    let created: Rule;
    try {
      created = await api.createRule(ns, flag.key, { ...ruleInputOf(form), rank });
    } catch (err) {
      toast.error(err);
      return false;
    }
    try {
      for (const d of desiredDistributions(form.kind, variants, form.single, form.percents)) {
        await api.createDistribution(ns, flag.key, created.id, d);
      }
      await rules.reload();
      toast.success('Successfully created rule');
    } catch (err) {
      await rules.reload();
      toast.error(`Rule ${rank} was created, but not all of its distributions were saved: ${errorMessage(err)}`);
    }
    return true;
  };

  // Calls go one after another and the first failure stops and is reported (§4.3).
  const update = async (ruleId: string, form: RuleFormValue): Promise<boolean> => {
    const current = latest.current.find((r) => r.id === ruleId);
    if (!current) return false;
    const plan = planRuleUpdate(current, form, variants);
    try {
      if (plan.rule) await api.updateRule(ns, flag.key, ruleId, plan.rule);
      for (const op of plan.distributions) {
        if (op.op === 'create') await api.createDistribution(ns, flag.key, ruleId, { variantId: op.variantId, rollout: op.rollout });
        else if (op.op === 'update')
          await api.updateDistribution(ns, flag.key, ruleId, op.id, { variantId: op.variantId, rollout: op.rollout });
        else await api.deleteDistribution(ns, flag.key, ruleId, op.id, op.variantId);
      }
      // Reload before announcing success, so the cards show the saved state when the toast appears.
      await rules.reload();
      toast.success('Successfully updated rule');
      return true;
    } catch (err) {
      toast.error(err);
      await rules.reload();
      return false;
    }
  };

  const ro = roProps(readOnly);
  const newButton = (
    <button type="button" className="btn btn-primary" {...ro} onClick={() => setEditing('new')}>
      New Rule
    </button>
  );

  return (
    <section aria-labelledby="rules-heading">
      <div className="section-header">
        <div>
          <h2 id="rules-heading">Rules</h2>
          <p className="muted">
            Rules are evaluated in order, from top to bottom.
            {readOnly
              ? ' The order cannot be changed in Read-Only mode.'
              : ' Drag a rule by its header, or use Move up / Move down, to change the order.'}
          </p>
        </div>
        {(list.length > 0 || variants.length > 0) && newButton}
      </div>
      {list.length === 0 && variants.length === 0 ? (
        <button type="button" className="empty-button" {...ro} onClick={() => setEditing('new')}>
          <span aria-hidden="true">+</span> New Rule
        </button>
      ) : (
        <div className="cards-frame">
          {list.length === 0 && <p className="muted">This flag has no rules yet.</p>}
          <SortableCards
            items={list}
            noun="rule"
            label="Rules"
            persist={async (ids) => {
              await api.orderRules(ns, flag.key, ids);
            }}
            onReordered={() => void rules.reload()}
            title={() => 'Rule'}
            onEdit={(r) => setEditing(r.id)}
            onDelete={(rule, i) => setDeleting({ rule, position: i + 1 })}
            body={(r, i) => (
              <RuleQuickEdit
                key={ruleSignature(r, variants)}
                ns={ns}
                rule={r}
                position={i + 1}
                variants={variants}
                segments={segments.data ?? []}
                known={known}
                variantsUrl={variantsUrl}
                onSave={(form) => update(r.id, form)}
              />
            )}
          />
          {variants.length > 0 && <DefaultRuleCard key={flag.updatedAt} ns={ns} flag={flag} onFlagUpdated={onFlagUpdated} />}
        </div>
      )}
      {editing && (
        <RulePanel
          key={editing}
          ns={ns}
          flag={flag}
          rule={editRule}
          segments={segments.data ?? []}
          onClose={() => setEditing(null)}
          onSave={async (v) => {
            const ok = editRule ? await update(editRule.id, v) : await create(v);
            if (ok) setEditing(null);
          }}
        />
      )}
      <ConfirmDialog
        open={deleting !== null}
        title="Delete Rule"
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          await api.deleteRule(ns, flag.key, deleting.rule.id);
          toast.success('Successfully deleted rule');
          await rules.reload();
        }}
      >
        Are you sure you want to delete rule <strong>{deleting?.position}</strong>? This action cannot be undone.
      </ConfirmDialog>
    </section>
  );
}

/** Changes whenever the saved rule or the flag's variants change, so the quick edit starts over. */
function ruleSignature(r: Rule, variants: Variant[]): string {
  return JSON.stringify([
    r.id,
    r.updatedAt,
    r.segmentOperator,
    segmentKeysOf(r),
    r.distributions.map((d) => [d.id, d.variantId, d.rollout]),
    variants.map((v) => v.id),
  ]);
}

/** The inline form on a rule card (§2.5.6): segments, operator, type, variant or percentages. */
function RuleQuickEdit({
  ns,
  rule,
  position,
  variants,
  segments,
  known,
  variantsUrl,
  onSave,
}: {
  ns: string;
  rule: Rule;
  position: number;
  variants: Variant[];
  segments: Segment[];
  known: Map<string, Segment> | null;
  variantsUrl: string;
  onSave: (form: RuleFormValue) => Promise<boolean>;
}) {
  const readOnly = useReadOnly();
  const [initial] = useState(() => ruleFormFor(variants, rule));
  const [v, setV] = useState(initial);
  const [busy, setBusy] = useState(false);
  const id = `rule-${rule.id}`;
  const dirty = JSON.stringify(v) !== JSON.stringify(initial);
  const error = ruleFormError(v, variants);
  const distError = v.kind === 'multi' ? validateDistribution(variants.map((x) => v.percents[x.id] ?? '')) : null;
  const chosen = v.segments.filter((k) => k !== '');
  const missing = known ? segmentKeysOf(rule).filter((k) => !known.has(k)) : [];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!dirty || error !== null || busy || readOnly) return;
    setBusy(true);
    try {
      await onSave(v);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="quick-edit" onSubmit={submit} noValidate aria-label={`Rule ${position}`}>
      <fieldset className="plain" disabled={readOnly} title={readOnly ? roProps(true).title : undefined}>
        <div className="qe-cols">
          <div className="qe-col">
            <Field
              id={`${id}-segment`}
              label="Segment"
              error={missing.length > 0 ? 'Segment is missing' : null}
              hint={
                chosen.length > 0 && (
                  <>
                    Open: <SegmentList ns={ns} keys={segmentKeysOf(rule)} operator={rule.segmentOperator} known={known} markMissing={false} />
                  </>
                )
              }
            >
              <SegmentPicker
                id={`${id}-segment`}
                ns={ns}
                segments={segments}
                value={v.segments}
                loading={known === null}
                onChange={(segs) => setV({ ...v, segments: segs })}
              />
            </Field>
            {chosen.length > 1 && (
              <OperatorRadios name={`${id}-operator`} value={v.operator} onChange={(op) => setV({ ...v, operator: op })} />
            )}
          </div>
          <div className="qe-col">
            <Field id={`${id}-type`} label="Type" hint={KIND_HELP[v.kind]}>
              <select
                id={`${id}-type`}
                value={v.kind}
                onChange={(e) => {
                  const kind = e.target.value as RuleKind;
                  const next = { ...v, kind };
                  // Turning a rule multi-variate starts from an even split when it had no percentages.
                  if (kind === 'multi' && variants.every((x) => (parsePercent(v.percents[x.id] ?? '') ?? 0) === 0)) {
                    const split = evenSplit(variants.length);
                    next.percents = Object.fromEntries(variants.map((x, i) => [x.id, String(split[i])]));
                  }
                  if (kind === 'single' && v.single === '' && v.kind === 'multi') {
                    const top = [...variants].sort((a, b) => (parsePercent(v.percents[b.id] ?? '') ?? 0) - (parsePercent(v.percents[a.id] ?? '') ?? 0))[0];
                    next.single = top?.id ?? '';
                  }
                  setV(next);
                }}
              >
                {(['none', 'single', 'multi'] as RuleKind[]).map((k) => (
                  <option key={k} value={k} disabled={k !== 'none' && variants.length === 0}>
                    {KIND_LABEL[k]}
                  </option>
                ))}
              </select>
            </Field>
            {variants.length === 0 && <NoVariantsNote variantsUrl={variantsUrl} />}
            {v.kind === 'single' && (
              <VariantSelect id={`${id}-variant`} variants={variants} value={v.single} onChange={(single) => setV({ ...v, single })} />
            )}
            {v.kind === 'multi' && (
              <DistributionFields
                idPrefix={`${id}-pct`}
                variants={variants}
                percents={v.percents}
                error={distError}
                onChange={(percents) => setV({ ...v, percents })}
              />
            )}
          </div>
        </div>
      </fieldset>
      <div className="form-footer">
        {dirty && <span className="dirty">Unsaved changes</span>}
        <button type="button" className="btn" disabled={!dirty || busy || readOnly} aria-label={`Reset rule ${position}`} onClick={() => setV(initial)}>
          Reset
        </button>
        <button
          type="submit"
          className="btn btn-primary"
          disabled={!dirty || error !== null || busy || readOnly}
          title={readOnly ? roProps(true).title : undefined}
          aria-label={`Update rule ${position}`}
        >
          {busy && <span className="spinner" aria-hidden="true" />}
          Update
        </button>
      </div>
    </form>
  );
}

function NoVariantsNote({ variantsUrl }: { variantsUrl: string }) {
  return (
    <p className="hint no-variants-note">
      This flag has no variants yet, so a rule can only return the default variant.{' '}
      <Link to={variantsUrl}>Add variants</Link> in the Variants tab to return them from a rule.
    </p>
  );
}

function VariantSelect({ id, variants, value, onChange }: { id: string; variants: Variant[]; value: string; onChange: (id: string) => void }) {
  const error = value === '' ? 'Select a variant.' : null;
  return (
    <Field id={id} label="Variant" error={error}>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} {...invalidProps(id, error)}>
        <option value="">Select a variant</option>
        {variants.map((x) => (
          <option key={x.id} value={x.id}>
            {x.key}
            {x.name ? ` (${x.name})` : ''}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** One percentage input per variant, a live total and "Distribute evenly" (§2.5.6). */
function DistributionFields({
  idPrefix,
  variants,
  percents,
  error,
  onChange,
}: {
  idPrefix: string;
  variants: Variant[];
  percents: Record<string, string>;
  error: string | null;
  onChange: (percents: Record<string, string>) => void;
}) {
  const total = formatTotal(variants.map((x) => parsePercent(percents[x.id] ?? '') ?? 0));
  const errorId = `${idPrefix}-error`;
  return (
    <fieldset className={`field${error ? ' field-invalid' : ''}`} aria-describedby={error ? errorId : undefined}>
      <legend>Distribution</legend>
      <div className="percent-grid">
        {variants.map((x) => (
          <div className="percent-row" key={x.id}>
            <label htmlFor={`${idPrefix}-${x.id}`} className="mono">
              {x.key}
            </label>
            <span className="percent-input">
              <input
                id={`${idPrefix}-${x.id}`}
                type="number"
                inputMode="decimal"
                min={0}
                max={100}
                step={0.01}
                value={percents[x.id] ?? ''}
                onChange={(e) => onChange({ ...percents, [x.id]: e.target.value })}
              />
              <span aria-hidden="true">%</span>
            </span>
          </div>
        ))}
      </div>
      <div className="dist-footer">
        <span aria-live="polite">Total: {total}</span>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => {
            const split = evenSplit(variants.length);
            onChange(Object.fromEntries(variants.map((x, i) => [x.id, String(split[i])])));
          }}
        >
          Distribute evenly
        </button>
      </div>
      {error && (
        <p className="field-error" id={errorId} role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}

/** The flag's default variant, returned when no rule matches (§2.5.6 "Default Rule"). */
function DefaultRuleCard({ ns, flag, onFlagUpdated }: { ns: string; flag: Flag; onFlagUpdated: (f: Flag) => void }) {
  const toast = useToast();
  const readOnly = useReadOnly();
  const saved = flag.defaultVariant?.id ?? '';
  const [value, setValue] = useState(saved);
  const [busy, setBusy] = useState(false);
  useEffect(() => setValue(saved), [saved]);
  const variants = flag.variants ?? [];
  const dirty = value !== saved;

  const save = async (defaultVariantId: string) => {
    setBusy(true);
    try {
      // Full replacement of the flag's fields; metadata is left out, which keeps it unchanged.
      const updated = await api.updateFlag(ns, flag.key, {
        name: flag.name,
        description: flag.description,
        enabled: flag.enabled,
        defaultVariantId: defaultVariantId || null,
      });
      toast.success(defaultVariantId ? 'Successfully updated default variant' : 'Successfully removed default variant');
      onFlagUpdated(updated);
    } catch (err) {
      toast.error(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="card default-card"
      aria-labelledby="default-rule-heading"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (dirty && value !== '' && !busy && !readOnly) void save(value);
      }}
    >
      <h3 id="default-rule-heading">
        <span aria-hidden="true">★ </span>Default Rule
      </h3>
      <p className="muted">This variant is returned when no other rule matches.</p>
      <Field id="default-variant" label="Default Variant">
        <select id="default-variant" value={value} disabled={readOnly || busy} title={roProps(readOnly).title} onChange={(e) => setValue(e.target.value)}>
          <option value="">No default variant</option>
          {variants.map((x) => (
            <option key={x.id} value={x.id}>
              {x.key}
              {x.name ? ` (${x.name})` : ''}
            </option>
          ))}
        </select>
      </Field>
      <div className="form-footer">
        {dirty && <span className="dirty">Unsaved changes</span>}
        <button
          type="button"
          className="btn btn-danger-outline"
          disabled={saved === '' || busy || readOnly}
          title={roProps(readOnly).title}
          aria-label="Remove default variant"
          onClick={() => void save('')}
        >
          Remove
        </button>
        <button type="button" className="btn" disabled={!dirty || busy || readOnly} aria-label="Reset default variant" onClick={() => setValue(saved)}>
          Reset
        </button>
        <button
          type="submit"
          className="btn btn-primary"
          disabled={!dirty || value === '' || busy || readOnly}
          title={roProps(readOnly).title}
          aria-label="Update default variant"
        >
          {busy && <span className="spinner" aria-hidden="true" />}
          Update
        </button>
      </div>
    </form>
  );
}

function RulePanel({
  ns,
  flag,
  rule,
  segments,
  onClose,
  onSave,
}: {
  ns: string;
  flag: Flag;
  rule: Rule | null;
  segments: Segment[];
  onClose: () => void;
  onSave: (v: RuleFormValue) => Promise<void>;
}) {
  const variants = flag.variants ?? [];
  const [initial] = useState(() => ruleFormFor(variants, rule));
  const [v, setV] = useState(initial);
  const [busy, setBusy] = useState(false);
  const chosen = v.segments.filter((k) => k !== '');
  const distError = v.kind === 'multi' ? validateDistribution(variants.map((x) => v.percents[x.id] ?? '')) : null;
  const dirty = JSON.stringify(v) !== JSON.stringify(initial);
  const variantsUrl = `/namespaces/${encodeURIComponent(ns)}/flags/${encodeURIComponent(flag.key)}`;

  return (
    <Panel
      open
      title={rule ? `Edit Rule ${rule.rank}` : 'New Rule'}
      onClose={onClose}
      dirty={dirty}
      busy={busy}
      submitLabel={rule ? 'Update' : 'Create'}
      submitDisabled={!dirty || ruleFormError(v, variants) !== null}
      onSubmit={async () => {
        setBusy(true);
        try {
          await onSave(v);
        } finally {
          setBusy(false);
        }
      }}
    >
      <Field id="rule-segment" label="Segment">
        <SegmentPicker id="rule-segment" ns={ns} segments={segments} value={v.segments} onChange={(segs) => setV({ ...v, segments: segs })} />
      </Field>
      {chosen.length > 1 && <OperatorRadios name="rule-operator" value={v.operator} onChange={(op) => setV({ ...v, operator: op })} />}
      <fieldset className="field">
        <legend>Type</legend>
        {(['none', 'single', 'multi'] as RuleKind[]).map((k) => (
          <div className="radio" key={k}>
            <input
              type="radio"
              id={`rule-kind-${k}`}
              name="rule-kind"
              checked={v.kind === k}
              disabled={k !== 'none' && variants.length === 0}
              aria-describedby={`rule-kind-${k}-help`}
              onChange={() => setV({ ...v, kind: k })}
            />
            <label htmlFor={`rule-kind-${k}`}>{KIND_LABEL[k]}</label>
            <p className="hint" id={`rule-kind-${k}-help`}>
              {KIND_HELP[k]}
            </p>
          </div>
        ))}
        {variants.length === 0 && <NoVariantsNote variantsUrl={variantsUrl} />}
      </fieldset>
      {v.kind === 'single' && <VariantSelect id="rule-variant" variants={variants} value={v.single} onChange={(single) => setV({ ...v, single })} />}
      {v.kind === 'multi' && (
        <DistributionFields idPrefix="pct" variants={variants} percents={v.percents} error={distError} onChange={(percents) => setV({ ...v, percents })} />
      )}
    </Panel>
  );
}
