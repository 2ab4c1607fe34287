import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api/client';
import { ApiError, errorMessage } from '../api/errors';
import type { Constraint, Segment } from '../api/types';
import { ActionsMenu } from '../components/ActionsMenu';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ConstraintPanel } from '../components/ConstraintPanel';
import { CopySegmentDialog } from '../components/CopyFlagDialog';
import { roProps, useReadOnly } from '../components/Meta';
import { SegmentForm } from '../components/SegmentForm';
import { ErrorState, ResourceNotFound, Spinner, Time } from '../components/States';
import { useToast } from '../components/Toasts';
import { isListOperator, operatorLabel, operatorTakesValue, parseListValue, typeLabel } from '../lib/constraints';
import { DateTime } from '../components/DateTime';
import { useAsync } from '../lib/useAsync';
import { deleteBlockedReason, usageSummary } from '../lib/usage';

function ConstraintValue({ c }: { c: Constraint }) {
  const [all, setAll] = useState(false);
  if (!operatorTakesValue(c.operator)) return null;
  if (isListOperator(c.operator)) {
    const values = parseListValue(c.value);
    const shown = all ? values : values.slice(0, 5);
    return (
      <span className="chips-inline">
        {shown.map((v) => (
          <span key={v} className="chip">
            {v}
          </span>
        ))}
        {values.length > 5 && (
          <button type="button" className="link-btn" onClick={() => setAll(!all)} aria-expanded={all}>
            {all ? 'show less' : '…'}
            <span className="sr-only">{all ? '' : ` show all ${values.length} values`}</span>
          </button>
        )}
      </span>
    );
  }
  if (c.type === 'DATETIME_COMPARISON_TYPE') return <DateTime iso={c.value} />;
  return <span className="wrap">{c.value}</span>;
}

export default function SegmentDetail() {
  const { ns = '', segment: key = '' } = useParams();
  const navigate = useNavigate();
  const toast = useToast();
  const seg = useAsync(() => api.getSegment(ns, key), [ns, key]);
  const usage = useAsync(() => api.segmentUsage(ns, key), [ns, key]);
  const readOnly = useReadOnly();
  const [deleting, setDeleting] = useState(false);
  const [copying, setCopying] = useState(false);
  const [editing, setEditing] = useState<Constraint | 'new' | null>(null);
  const [deletingC, setDeletingC] = useState<Constraint | null>(null);
  const listUrl = `/namespaces/${encodeURIComponent(ns)}/segments`;

  if (seg.loading && !seg.data) return <Spinner />;
  if (seg.error instanceof ApiError && seg.error.isNotFound) {
    return <ResourceNotFound what={`The segment "${key}" does not exist in this namespace.`} backTo={listUrl} backLabel="Back to segments" />;
  }
  if (seg.error || !seg.data) return <ErrorState message={errorMessage(seg.error)} onRetry={() => void seg.reload()} />;
  const s: Segment = seg.data;
  const constraints = s.constraints ?? [];
  const users = usage.data?.flags ?? [];
  const blocked = deleteBlockedReason(users);
  const deleteProps = readOnly ? roProps(true) : blocked ? { disabled: true, title: blocked } : {};
  const flagUrl = (flag: string) => `/namespaces/${encodeURIComponent(ns)}/flags/${encodeURIComponent(flag)}`;

  return (
    <>
      <div className="page-header">
        <div>
          <h1>{s.name}</h1>
          <p className="muted">
            <Time iso={s.createdAt} prefix="Created" /> · <Time iso={s.updatedAt} prefix="Updated" />
          </p>
        </div>
        <ActionsMenu>
          <button type="button" className="menu-item" {...roProps(readOnly)} onClick={() => setCopying(true)}>
            Copy to Namespace
          </button>
          <hr className="menu-sep" />
          <button
            type="button"
            className="menu-item danger"
            {...deleteProps}
            aria-describedby={blocked && !readOnly ? 'segment-delete-blocked' : undefined}
            onClick={() => setDeleting(true)}
          >
            Delete
          </button>
        </ActionsMenu>
      </div>
      <section aria-labelledby="usage-heading" className="card usage-card">
        <h2 id="usage-heading">Used by</h2>
        {usage.loading && !usage.data ? (
          <p className="muted">Loading usage…</p>
        ) : usage.error ? (
          <p className="muted">Usage is not available: {errorMessage(usage.error)}</p>
        ) : users.length === 0 ? (
          <p className="usage-note">No flag uses this segment; it can be deleted safely.</p>
        ) : (
          <>
            <p id="segment-delete-blocked" className="muted">
              {blocked}.
            </p>
            <ul className="usage-list" aria-label="Flags using this segment">
              {users.map((u) => (
                <li key={u.flagKey}>
                  <Link to={`${flagUrl(u.flagKey)}${(u.ruleIds?.length ?? 0) > 0 ? '/rules' : ''}`}>{u.flagKey}</Link>{' '}
                  <span className="muted">({usageSummary(u)})</span>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      <SegmentForm
        key={s.updatedAt}
        mode="edit"
        initial={{ key: s.key, name: s.name, description: s.description, matchType: s.matchType }}
        onSubmit={async (v) => {
          try {
            const updated = await api.updateSegment(ns, s.key, v);
            seg.setData({ ...updated, constraints });
            toast.success('Successfully updated segment');
          } catch (err) {
            toast.error(err);
          }
        }}
      />
      <section aria-labelledby="constraints-heading">
        <div className="section-header">
          <div>
            <h2 id="constraints-heading">Constraints</h2>
            <p className="muted">Constraints decide whether a request matches this segment.</p>
          </div>
          {constraints.length > 0 && (
            <button type="button" className="btn btn-primary" {...roProps(readOnly)} onClick={() => setEditing('new')}>
              New Constraint
            </button>
          )}
        </div>
        {constraints.length === 0 ? (
          <button type="button" className="empty-button" {...roProps(readOnly)} onClick={() => setEditing('new')}>
            <span aria-hidden="true">+</span> New Constraint
          </button>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Property</th>
                <th scope="col" className="hide-narrow">
                  Type
                </th>
                <th scope="col" className="hide-narrow">
                  Operator
                </th>
                <th scope="col" className="hide-narrow">
                  Value
                </th>
                <th scope="col" className="hide-narrow">
                  Description
                </th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {constraints.map((c) => (
                <tr key={c.id}>
                  <td className="mono">{c.property}</td>
                  <td className="hide-narrow">{typeLabel(c.type)}</td>
                  <td className="hide-narrow">{operatorLabel(c.type, c.operator)}</td>
                  <td className="hide-narrow">
                    <ConstraintValue c={c} />
                  </td>
                  <td className="hide-narrow truncate">{c.description}</td>
                  <td className="actions">
                    {!readOnly && (<>
                    <button type="button" className="link-btn" onClick={() => setEditing(c)} aria-label={`Edit, ${c.property}`}>
                      Edit<span className="sr-only">, {c.property}</span>
                    </button>
                    <span aria-hidden="true"> | </span>
                    <button type="button" className="link-btn danger" onClick={() => setDeletingC(c)} aria-label={`Delete, ${c.property}`}>
                      Delete<span className="sr-only">, {c.property}</span>
                    </button>
                    </>)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {editing && (
        <ConstraintPanel
          constraint={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSave={async (input) => {
            try {
              if (editing === 'new') {
                await api.createConstraint(ns, s.key, input);
                toast.success('Successfully created constraint');
              } else {
                await api.updateConstraint(ns, s.key, editing.id, input);
                toast.success('Successfully updated constraint');
              }
              setEditing(null);
              await seg.reload();
            } catch (err) {
              toast.error(err);
            }
          }}
        />
      )}
      <ConfirmDialog
        open={deletingC !== null}
        title="Delete Constraint"
        onClose={() => setDeletingC(null)}
        onConfirm={async () => {
          if (!deletingC) return;
          await api.deleteConstraint(ns, s.key, deletingC.id);
          toast.success('Successfully deleted constraint');
          await seg.reload();
        }}
      >
        Are you sure you want to delete the constraint on <strong>{deletingC?.property}</strong>? This action cannot be
        undone.
      </ConfirmDialog>
      {!readOnly && <CopySegmentDialog open={copying} ns={ns} segmentKey={s.key} onClose={() => setCopying(false)} />}
      <ConfirmDialog
        open={deleting}
        title="Delete Segment"
        onClose={() => setDeleting(false)}
        onConfirm={async () => {
          await api.deleteSegment(ns, s.key);
          toast.success('Successfully deleted segment');
          navigate(listUrl);
        }}
      >
        Are you sure you want to delete the segment <strong>{s.key}</strong>? This action cannot be undone.
      </ConfirmDialog>
    </>
  );
}
