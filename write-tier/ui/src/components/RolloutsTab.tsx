import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { errorMessage } from '../api/errors';
import type { Flag, Rollout, RolloutInput, Segment, SegmentOperator } from '../api/types';
import { byRank, segmentKeysOf } from '../lib/rules';
import { useAsync } from '../lib/useAsync';
import { ConfirmDialog } from './ConfirmDialog';
import { Field, invalidProps } from './Field';
import { Panel } from './Panel';
import { useSegments } from './RulesTab';
import { OperatorRadios, SegmentList, SegmentPicker } from './SegmentPicker';
import { SortableCards } from './SortableCards';
import { ErrorState, Spinner } from './States';
import { useToast } from './Toasts';
import { roProps, useReadOnly } from './Meta';
import './flagDetail.css';

type Kind = 'threshold' | 'segment';

interface RolloutForm {
  kind: Kind;
  percentage: string;
  segments: string[];
  operator: SegmentOperator;
  value: boolean;
  description: string;
}

function initialForm(r: Rollout | null): RolloutForm {
  if (!r) return { kind: 'threshold', percentage: '50', segments: [''], operator: 'OR_SEGMENT_OPERATOR', value: true, description: '' };
  const seg = r.segment;
  return {
    kind: r.type === 'SEGMENT_ROLLOUT_TYPE' ? 'segment' : 'threshold',
    percentage: String(r.threshold?.percentage ?? 50),
    segments: seg ? segmentKeysOf(seg) : [''],
    operator: seg?.segmentOperator ?? 'OR_SEGMENT_OPERATOR',
    value: (seg ?? r.threshold)?.value ?? false,
    description: r.description,
  };
}

function toInput(f: RolloutForm): RolloutInput {
  if (f.kind === 'threshold') return { description: f.description, threshold: { percentage: Number(f.percentage), value: f.value } };
  const keys = f.segments.filter((k) => k !== '');
  return {
    description: f.description,
    segment: { segmentKeys: keys, segmentOperator: keys.length > 1 ? f.operator : 'OR_SEGMENT_OPERATOR', value: f.value },
  };
}

export function percentageError(text: string): string | null {
  const n = Number(text);
  return text.trim() === '' || Number.isNaN(n) || n < 0 || n > 100 ? 'Must be a number between 0 and 100.' : null;
}

export function RolloutsTab({ ns, flag, onFlagUpdated }: { ns: string; flag: Flag; onFlagUpdated: (f: Flag) => void }) {
  const toast = useToast();
  const readOnly = useReadOnly();
  const rollouts = useAsync(async () => byRank((await api.listRollouts(ns, flag.key)).rules), [ns, flag.key]);
  const segments = useSegments(ns);
  const [editing, setEditing] = useState<Rollout | 'new' | null>(null);
  const [deleting, setDeleting] = useState<{ rollout: Rollout; position: number } | null>(null);
  const [savingDefault, setSavingDefault] = useState(false);
  const [fallback, setFallback] = useState(flag.enabled);
  useEffect(() => setFallback(flag.enabled), [flag.enabled]);
  const known = useMemo(() => (segments.data ? new Map(segments.data.map((s) => [s.key, s])) : null), [segments.data]);

  if (rollouts.loading && !rollouts.data) return <Spinner />;
  if (rollouts.error || !rollouts.data) return <ErrorState message={errorMessage(rollouts.error)} onRetry={() => void rollouts.reload()} />;
  const list = rollouts.data;

  const setDefault = async (enabled: boolean) => {
    setFallback(enabled);
    setSavingDefault(true);
    try {
      const updated = await api.updateFlag(ns, flag.key, {
        name: flag.name,
        description: flag.description,
        enabled,
        defaultVariantId: flag.defaultVariant?.id ?? null,
        ...(flag.metadata && Object.keys(flag.metadata).length > 0 ? { metadata: flag.metadata } : {}),
      });
      onFlagUpdated(updated);
      toast.success('Successfully updated flag');
    } catch (err) {
      setFallback(flag.enabled);
      toast.error(err);
    } finally {
      setSavingDefault(false);
    }
  };

  return (
    <section aria-labelledby="rollouts-heading">
      <div className="section-header">
        <div>
          <h2 id="rollouts-heading">Rollouts</h2>
          <p className="muted">
            Rollouts return a boolean value and are evaluated in order, from top to bottom; the flag's default value
            applies when none matches.
            {readOnly
              ? ' The order cannot be changed in Read-Only mode.'
              : ' Drag a rollout by its header, or use Move up / Move down, to change the order.'}
          </p>
        </div>
        {list.length > 0 && (
          <button type="button" className="btn btn-primary" {...roProps(readOnly)} onClick={() => setEditing('new')}>
            New Rollout
          </button>
        )}
      </div>
      <div className="cards-frame">
        {list.length === 0 && (
          <button type="button" className="empty-button" {...roProps(readOnly)} onClick={() => setEditing('new')}>
            <span aria-hidden="true">+</span> New Rollout
          </button>
        )}
        <SortableCards
          items={list}
          noun="rollout"
          label="Rollouts"
          persist={async (ids) => {
            await api.orderRollouts(ns, flag.key, ids);
          }}
          onReordered={() => void rollouts.reload()}
          title={(r) => (r.type === 'SEGMENT_ROLLOUT_TYPE' ? 'Segment Rollout' : 'Threshold Rollout')}
          onEdit={(r) => setEditing(r)}
          onDelete={(rollout, i) => setDeleting({ rollout, position: i + 1 })}
          body={(r, i) => (
            <>
              {r.description && <p className="muted">{r.description}</p>}
              <RolloutQuickEdit
                key={JSON.stringify([r.id, r.updatedAt, r.threshold, r.segment])}
                ns={ns}
                rollout={r}
                position={i + 1}
                segments={segments.data ?? []}
                known={known}
                onSave={async (form) => {
                  try {
                    await api.updateRollout(ns, flag.key, r.id, toInput(form));
                    // Reload first, so the card shows the saved state when the toast appears.
                    await rollouts.reload();
                    toast.success('Successfully updated rollout');
                  } catch (err) {
                    toast.error(err);
                    await rollouts.reload();
                  }
                }}
              />
            </>
          )}
        />
        <div className="card default-card">
          <h3>Default</h3>
          <p className="muted">When no rollout matches, the flag returns its default value.</p>
          <div className="switch-row">
            <input
              id="fallback-value"
              type="checkbox"
              role="switch"
              className="switch"
              checked={fallback}
              disabled={savingDefault || readOnly}
              title={roProps(readOnly).title}
              onChange={(e) => void setDefault(e.target.checked)}
            />
            <label htmlFor="fallback-value">Fallback value</label>
            <span className="hint">
              <ValueBadge value={fallback} />
            </span>
          </div>
        </div>
      </div>
      {editing && (
        <RolloutPanel
          ns={ns}
          rollout={editing === 'new' ? null : editing}
          segments={segments.data ?? []}
          onClose={() => setEditing(null)}
          onSave={async (form) => {
            try {
              if (editing === 'new') {
                await api.createRollout(ns, flag.key, { ...toInput(form), rank: list.length + 1 });
                toast.success('Successfully created rollout');
              } else {
                await api.updateRollout(ns, flag.key, editing.id, toInput(form));
                toast.success('Successfully updated rollout');
              }
              setEditing(null);
              await rollouts.reload();
            } catch (err) {
              toast.error(err);
            }
          }}
        />
      )}
      <ConfirmDialog
        open={deleting !== null}
        title="Delete Rollout"
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          await api.deleteRollout(ns, flag.key, deleting.rollout.id);
          toast.success('Successfully deleted rollout');
          await rollouts.reload();
        }}
      >
        Are you sure you want to delete rollout <strong>{deleting?.position}</strong>? This action cannot be undone.
      </ConfirmDialog>
    </section>
  );
}

/** The inline form on a rollout card (§2.5.7): percentage or segments, and the value. */
function RolloutQuickEdit({
  ns,
  rollout,
  position,
  segments,
  known,
  onSave,
}: {
  ns: string;
  rollout: Rollout;
  position: number;
  segments: Segment[];
  known: Map<string, Segment> | null;
  onSave: (f: RolloutForm) => Promise<void>;
}) {
  const readOnly = useReadOnly();
  const [initial] = useState(() => initialForm(rollout));
  const [f, setF] = useState(initial);
  const [busy, setBusy] = useState(false);
  const id = `rollout-${rollout.id}`;
  const chosen = f.segments.filter((k) => k !== '');
  const pctErr = f.kind === 'threshold' ? percentageError(f.percentage) : null;
  const invalid = f.kind === 'threshold' ? pctErr !== null : chosen.length === 0;
  const dirty = JSON.stringify(f) !== JSON.stringify(initial);
  const keys = segmentKeysOf(rollout.segment ?? {});
  const missing = known ? keys.filter((k) => !known.has(k)) : [];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!dirty || invalid || busy || readOnly) return;
    setBusy(true);
    try {
      await onSave(f);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="quick-edit" onSubmit={submit} noValidate aria-label={`Rollout ${position}`}>
      <fieldset className="plain" disabled={readOnly} title={readOnly ? roProps(true).title : undefined}>
        <div className="qe-cols">
          <div className="qe-col">
            {f.kind === 'threshold' ? (
              <PercentageField id={`${id}-percentage`} value={f.percentage} error={pctErr} onChange={(percentage) => setF({ ...f, percentage })} />
            ) : (
              <>
                <Field
                  id={`${id}-segment`}
                  label="Segment"
                  error={missing.length > 0 ? 'Segment is missing' : null}
                  hint={
                    keys.length > 0 && (
                      <>
                        Open: <SegmentList ns={ns} keys={keys} operator={rollout.segment?.segmentOperator} known={known} markMissing={false} />
                      </>
                    )
                  }
                >
                  <SegmentPicker
                    id={`${id}-segment`}
                    ns={ns}
                    segments={segments}
                    value={f.segments}
                    loading={known === null}
                    onChange={(s) => setF({ ...f, segments: s })}
                  />
                </Field>
                {chosen.length > 1 && <OperatorRadios name={`${id}-operator`} value={f.operator} onChange={(op) => setF({ ...f, operator: op })} />}
              </>
            )}
          </div>
          <div className="qe-col">
            <Field id={`${id}-value`} label="Value">
              <select id={`${id}-value`} value={String(f.value)} onChange={(e) => setF({ ...f, value: e.target.value === 'true' })}>
                <option value="true">True</option>
                <option value="false">False</option>
              </select>
            </Field>
          </div>
        </div>
      </fieldset>
      <div className="form-footer">
        {dirty && <span className="dirty">Unsaved changes</span>}
        <button type="button" className="btn" disabled={!dirty || busy || readOnly} aria-label={`Reset rollout ${position}`} onClick={() => setF(initial)}>
          Reset
        </button>
        <button
          type="submit"
          className="btn btn-primary"
          disabled={!dirty || invalid || busy || readOnly}
          title={readOnly ? roProps(true).title : undefined}
          aria-label={`Update rollout ${position}`}
        >
          {busy && <span className="spinner" aria-hidden="true" />}
          Update
        </button>
      </div>
    </form>
  );
}

/** "Percentage": a slider linked to a number input (0–100). */
function PercentageField({ id, value, error, onChange }: { id: string; value: string; error: string | null; onChange: (v: string) => void }) {
  return (
    <Field id={id} label="Percentage" error={error}>
      <div className="slider-row">
        <input
          type="range"
          min={0}
          max={100}
          step={1}
          aria-label="Percentage slider"
          value={Number(value) || 0}
          onChange={(e) => onChange(e.target.value)}
        />
        <span className="percent-input">
          <input id={id} type="number" min={0} max={100} step={0.01} value={value} onChange={(e) => onChange(e.target.value)} {...invalidProps(id, error)} />
          <span aria-hidden="true">%</span>
        </span>
      </div>
    </Field>
  );
}

function ValueBadge({ value }: { value: boolean }) {
  return <span className={`badge ${value ? 'badge-on' : 'badge-off'}`}>{value ? 'True' : 'False'}</span>;
}

function RolloutPanel({
  ns,
  rollout,
  segments,
  onClose,
  onSave,
}: {
  ns: string;
  rollout: Rollout | null;
  segments: Segment[];
  onClose: () => void;
  onSave: (f: RolloutForm) => Promise<void>;
}) {
  const [initial] = useState(() => initialForm(rollout));
  const [f, setF] = useState(initial);
  const [busy, setBusy] = useState(false);
  const chosen = f.segments.filter((k) => k !== '');
  const pctErr = f.kind === 'threshold' ? percentageError(f.percentage) : null;
  const invalid = f.kind === 'threshold' ? pctErr !== null : chosen.length === 0;
  const dirty = JSON.stringify(f) !== JSON.stringify(initial);

  return (
    <Panel
      open
      title={rollout ? 'Edit Rollout' : 'New Rollout'}
      onClose={onClose}
      dirty={dirty}
      busy={busy}
      submitLabel={rollout ? 'Update' : 'Create'}
      submitDisabled={!dirty || invalid}
      onSubmit={async () => {
        setBusy(true);
        try {
          await onSave(f);
        } finally {
          setBusy(false);
        }
      }}
    >
      <fieldset className="field">
        <legend>Type</legend>
        {(
          [
            ['threshold', 'Threshold', 'Roll out to a percentage of entities.'],
            ['segment', 'Segment', 'Roll out to a specific segment.'],
          ] as const
        ).map(([k, label, help]) => (
          <div className="radio" key={k}>
            <input
              type="radio"
              id={`rollout-kind-${k}`}
              name="rollout-kind"
              checked={f.kind === k}
              disabled={rollout !== null}
              aria-describedby={`rollout-kind-${k}-help`}
              onChange={() => setF({ ...f, kind: k })}
            />
            <label htmlFor={`rollout-kind-${k}`}>{label}</label>
            <p className="hint" id={`rollout-kind-${k}-help`}>
              {help}
            </p>
          </div>
        ))}
      </fieldset>
      {f.kind === 'threshold' ? (
        <PercentageField id="rollout-percentage" value={f.percentage} error={pctErr} onChange={(percentage) => setF({ ...f, percentage })} />
      ) : (
        <>
          <Field id="rollout-segment" label="Segment">
            <SegmentPicker id="rollout-segment" ns={ns} segments={segments} value={f.segments} onChange={(s) => setF({ ...f, segments: s })} />
          </Field>
          {chosen.length > 1 && <OperatorRadios name="rollout-operator" value={f.operator} onChange={(op) => setF({ ...f, operator: op })} />}
        </>
      )}
      <Field id="rollout-value" label="Value">
        <select id="rollout-value" value={String(f.value)} onChange={(e) => setF({ ...f, value: e.target.value === 'true' })}>
          <option value="true">True</option>
          <option value="false">False</option>
        </select>
      </Field>
      <Field id="rollout-description" label="Description" optional>
        <input id="rollout-description" value={f.description} onChange={(e) => setF({ ...f, description: e.target.value })} />
      </Field>
    </Panel>
  );
}
