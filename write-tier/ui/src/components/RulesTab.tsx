import { useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client';
import { errorMessage } from '../api/errors';
import type { Flag, Rule, Segment, SegmentOperator } from '../api/types';
import {
  byRank,
  desiredDistributions,
  evenSplit,
  formatTotal,
  parsePercent,
  planDistributions,
  ruleKind,
  segmentKeysOf,
  validateDistribution,
  type RuleKind,
} from '../lib/rules';
import { useAsync } from '../lib/useAsync';
import { ConfirmDialog } from './ConfirmDialog';
import { Field } from './Field';
import { Panel } from './Panel';
import { OperatorRadios, SegmentList, SegmentPicker } from './SegmentPicker';
import { SortableCards } from './SortableCards';
import { ErrorState, Spinner } from './States';
import { useToast } from './Toasts';
import { roProps, useReadOnly } from './Meta';

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

export function RulesTab({ ns, flag }: { ns: string; flag: Flag }) {
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
  const variantKey = (id: string) => variants.find((v) => v.id === id)?.key ?? id;

  if (rules.loading && !rules.data) return <Spinner />;
  if (rules.error || !rules.data) return <ErrorState message={errorMessage(rules.error)} onRetry={() => void rules.reload()} />;
  const list = rules.data;
  const editRule = editing && editing !== 'new' ? list.find((r) => r.id === editing) ?? null : null;

  const save = async (form: RuleFormValue, ruleId: string | null): Promise<boolean> => {
    const segmentKeys = form.segments.filter((k) => k !== '');
    const input = { segmentKeys, segmentOperator: segmentKeys.length > 1 ? form.operator : ('OR_SEGMENT_OPERATOR' as SegmentOperator) };
    let desired = desiredDistributions(form.kind, variants, form.single, form.percents);
    if (ruleId === null) {
      const rank = latest.current.length + 1;
      let created: Rule;
      try {
        created = await api.createRule(ns, flag.key, { ...input, rank });
      } catch (err) {
        toast.error(err);
        return false;
      }
      try {
        for (const d of desired) await api.createDistribution(ns, flag.key, created.id, d);
        toast.success('Successfully created rule');
      } catch (err) {
        toast.error(`Rule ${rank} was created, but not all of its distributions were saved: ${errorMessage(err)}`);
      }
      await rules.reload();
      return true;
    }
    const current = latest.current.find((r) => r.id === ruleId);
    if (!current) return false;
    const existing = new Set(current.distributions.map((d) => d.variantId));
    // Don't create 0% entries for variants the rule never had.
    if (form.kind === 'multi') desired = desired.filter((d) => d.rollout > 0 || existing.has(d.variantId));
    try {
      const before = segmentKeysOf(current);
      if ([...before].sort().join('\u0000') !== [...segmentKeys].sort().join('\u0000') || (segmentKeys.length > 1 && current.segmentOperator !== input.segmentOperator)) {
        await api.updateRule(ns, flag.key, ruleId, input);
      }
      for (const op of planDistributions(current.distributions, desired)) {
        if (op.op === 'create') await api.createDistribution(ns, flag.key, ruleId, { variantId: op.variantId, rollout: op.rollout });
        else if (op.op === 'update')
          await api.updateDistribution(ns, flag.key, ruleId, op.id, { variantId: op.variantId, rollout: op.rollout });
        else await api.deleteDistribution(ns, flag.key, ruleId, op.id, op.variantId);
      }
      toast.success('Successfully updated rule');
      await rules.reload();
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
            body={(r) => {
              const kind = ruleKind(r.distributions);
              return (
                <dl className="rule-summary">
                  <dt>Segments</dt>
                  <dd>
                    <SegmentList ns={ns} keys={segmentKeysOf(r)} operator={r.segmentOperator} known={known} />
                  </dd>
                  <dt>Type</dt>
                  <dd>{KIND_LABEL[kind]}</dd>
                  {kind !== 'none' && (
                    <>
                      <dt>Distribution</dt>
                      <dd>
                        <ul className="dist-list">
                          {r.distributions.map((d) => (
                            <li key={d.id}>
                              <span className="mono">{variantKey(d.variantId)}</span> <strong>{d.rollout}%</strong>
                              <span className="dist-bar" aria-hidden="true">
                                <span style={{ width: `${Math.min(100, d.rollout)}%` }} />
                              </span>
                            </li>
                          ))}
                        </ul>
                      </dd>
                    </>
                  )}
                </dl>
              );
            }}
          />
          {variants.length > 0 && (
            <div className="card default-card">
              <h3>
                <span aria-hidden="true">★ </span>Default Rule
              </h3>
              <p className="muted">
                When no rule matches, the flag returns{' '}
                {flag.defaultVariant ? (
                  <>
                    the default variant <span className="mono">{flag.defaultVariant.key}</span>
                  </>
                ) : (
                  'no variant (there is no default variant)'
                )}
                .
              </p>
            </div>
          )}
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
            if (await save(v, editRule?.id ?? null)) setEditing(null);
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

export interface RuleFormValue {
  segments: string[];
  operator: SegmentOperator;
  kind: RuleKind;
  single: string;
  percents: Record<string, string>;
}

function initialForm(flag: Flag, rule: Rule | null): RuleFormValue {
  const variants = flag.variants ?? [];
  if (!rule) {
    const split = evenSplit(variants.length);
    return {
      segments: [''],
      operator: 'OR_SEGMENT_OPERATOR',
      kind: 'none',
      single: '',
      percents: Object.fromEntries(variants.map((v, i) => [v.id, String(split[i])])),
    };
  }
  const kind = ruleKind(rule.distributions);
  const byVariant = new Map(rule.distributions.map((d) => [d.variantId, d.rollout]));
  return {
    segments: segmentKeysOf(rule),
    operator: rule.segmentOperator,
    kind,
    single: kind === 'single' ? rule.distributions[0].variantId : '',
    percents: Object.fromEntries(variants.map((v) => [v.id, String(byVariant.get(v.id) ?? 0)])),
  };
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
  const [initial] = useState(() => initialForm(flag, rule));
  const [v, setV] = useState(initial);
  const [busy, setBusy] = useState(false);
  const chosen = v.segments.filter((k) => k !== '');
  const distError = v.kind === 'multi' ? validateDistribution(variants.map((x) => v.percents[x.id] ?? '')) : null;
  const singleError = v.kind === 'single' && v.single === '' ? 'Select a variant.' : null;
  const dirty = JSON.stringify(v) !== JSON.stringify(initial);
  const total = formatTotal(variants.map((x) => parsePercent(v.percents[x.id] ?? '') ?? 0));
  const variantsUrl = `/namespaces/${encodeURIComponent(ns)}/flags/${encodeURIComponent(flag.key)}`;

  return (
    <Panel
      open
      title={rule ? `Edit Rule ${rule.rank}` : 'New Rule'}
      onClose={onClose}
      dirty={dirty}
      busy={busy}
      submitLabel={rule ? 'Update' : 'Create'}
      submitDisabled={!dirty || chosen.length === 0 || distError !== null || singleError !== null}
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
        {variants.length === 0 && (
          <p className="hint">
            This flag has no variants yet. <Link to={variantsUrl}>Add variants</Link> to return them from a rule.
          </p>
        )}
      </fieldset>
      {v.kind === 'single' && (
        <Field id="rule-variant" label="Variant" error={singleError}>
          <select id="rule-variant" value={v.single} onChange={(e) => setV({ ...v, single: e.target.value })}>
            <option value="">Select a variant</option>
            {variants.map((x) => (
              <option key={x.id} value={x.id}>
                {x.key}
                {x.name ? ` (${x.name})` : ''}
              </option>
            ))}
          </select>
        </Field>
      )}
      {v.kind === 'multi' && (
        <fieldset className={`field${distError ? ' field-invalid' : ''}`} aria-describedby={distError ? 'rule-dist-error' : undefined}>
          <legend>Distribution</legend>
          <div className="percent-grid">
            {variants.map((x) => (
              <div className="percent-row" key={x.id}>
                <label htmlFor={`pct-${x.id}`} className="mono">
                  {x.key}
                </label>
                <span className="percent-input">
                  <input
                    id={`pct-${x.id}`}
                    type="number"
                    inputMode="decimal"
                    min={0}
                    max={100}
                    step={0.01}
                    value={v.percents[x.id] ?? ''}
                    onChange={(e) => setV({ ...v, percents: { ...v.percents, [x.id]: e.target.value } })}
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
                setV({ ...v, percents: Object.fromEntries(variants.map((x, i) => [x.id, String(split[i])])) });
              }}
            >
              Distribute evenly
            </button>
          </div>
          {distError && (
            <p className="field-error" id="rule-dist-error" role="alert">
              {distError}
            </p>
          )}
        </fieldset>
      )}
    </Panel>
  );
}
