import { useEffect, useMemo, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { api } from '../api/client';
import { errorMessage } from '../api/errors';
import type { Flag } from '../api/types';
import { Field } from '../components/Field';
import { ErrorState, Spinner } from '../components/States';
import { useToast } from '../components/Toasts';
import { appBasePath } from '../lib/base';
import { buildCurl, contextFromRows, evaluationUrl, randomEntityId, type ContextRow } from '../lib/curl';
import { useAsync } from '../lib/useAsync';

async function allFlags(ns: string): Promise<Flag[]> {
  const all: Flag[] = [];
  let pageToken = '';
  do {
    const page = await api.listFlags(ns, { limit: 100, pageToken });
    all.push(...page.flags);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return all;
}

export default function Console() {
  const { ns = '' } = useParams();
  const flags = useAsync(() => allFlags(ns), [ns]);
  const auth = useAsync(
    () =>
      api
        .authMethods()
        .then((r) => (r.methods ?? []).some((m) => m.enabled))
        .catch(() => false),
    [],
  );
  if (flags.loading && !flags.data) return <Spinner />;
  if (flags.error || !flags.data) return <ErrorState message={errorMessage(flags.error)} onRetry={() => void flags.reload()} />;
  // Switching namespace remounts the form, which resets it.
  return <ConsoleForm key={ns} ns={ns} flags={flags.data} authEnabled={auth.data === true} />;
}

function ConsoleForm({ ns, flags, authEnabled }: { ns: string; flags: Flag[]; authEnabled: boolean }) {
  const toast = useToast();
  const [search] = useSearchParams();
  const preselect = search.get('flag') ?? '';
  const [flagKey, setFlagKey] = useState(flags.some((f) => f.key === preselect) ? preselect : '');
  const [entityId, setEntityId] = useState(randomEntityId);
  const [rows, setRows] = useState<ContextRow[]>([{ key: '', value: '' }]);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [curl, setCurl] = useState('');
  const flag = flags.find((f) => f.key === flagKey);
  const kind = flag?.type === 'BOOLEAN_FLAG_TYPE' ? 'boolean' : 'variant';
  const ctx = useMemo(() => contextFromRows(rows), [rows]);
  const valid = flag !== undefined && entityId.trim() !== '' && ctx.error === null;
  const body = { namespaceKey: ns, flagKey, entityId, context: ctx.context };

  useEffect(() => setCurl(''), [flagKey, entityId, rows]);

  if (flags.length === 0) {
    return (
      <>
        <Header />
        <Link className="empty-button" to={`/namespaces/${encodeURIComponent(ns)}/flags/new`}>
          <span aria-hidden="true">+</span> Create Flag
        </Link>
        <p className="muted">At least one flag must exist to use the console.</p>
      </>
    );
  }

  const evaluate = async () => {
    setBusy(true);
    try {
      const res = await api.evaluate(kind, body);
      setResult({ ok: true, text: JSON.stringify(res, null, 2) });
    } catch (err) {
      setResult({ ok: false, text: `error: ${errorMessage(err)}` });
    } finally {
      setBusy(false);
    }
  };

  const copyCurl = async () => {
    const cmd = buildCurl({ url: evaluationUrl(window.location.origin, appBasePath(), kind), body, auth: authEnabled });
    setCurl(cmd);
    try {
      await navigator.clipboard.writeText(cmd);
      toast.success('Command copied to clipboard');
    } catch {
      toast.error('Could not write to the clipboard; copy the command from the field below.');
    }
  };

  return (
    <>
      <Header />
      <div className="console-grid">
        <form
          className="card form"
          aria-label="Evaluation request"
          onSubmit={(e) => {
            e.preventDefault();
            if (valid && !busy) void evaluate();
          }}
          noValidate
        >
          <Field id="console-flag" label="Flag Key">
            <select id="console-flag" value={flagKey} onChange={(e) => setFlagKey(e.target.value)}>
              <option value="">Select a flag</option>
              {flags.map((f) => (
                <option key={f.key} value={f.key}>
                  {f.name} | {f.type === 'BOOLEAN_FLAG_TYPE' ? 'boolean' : 'variant'} ({f.key}){' '}
                  {f.type === 'BOOLEAN_FLAG_TYPE' || f.enabled ? '● enabled' : '○ disabled'}
                </option>
              ))}
            </select>
          </Field>
          <Field id="console-entity" label="Entity ID">
            <div className="multi-input">
              <input id="console-entity" value={entityId} onChange={(e) => setEntityId(e.target.value)} spellCheck={false} />
              <button type="button" className="btn" aria-label="Random (New Entity ID)" onClick={() => setEntityId(randomEntityId())}>
                Random
              </button>
            </div>
          </Field>
          <fieldset className="field">
            <legend>Request Context</legend>
            <p className="hint">Key/value pairs; values are sent as strings.</p>
            {rows.map((r, i) => (
              <div className="context-row" key={i}>
                <input
                  aria-label={`Context key ${i + 1}`}
                  placeholder="key"
                  value={r.key}
                  onChange={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)))}
                />
                <input
                  aria-label={`Context value ${i + 1}`}
                  placeholder="value"
                  value={r.value}
                  onChange={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))}
                />
                <button
                  type="button"
                  className="icon-btn"
                  aria-label={`Remove context entry ${i + 1}`}
                  disabled={rows.length === 1 && r.key === '' && r.value === ''}
                  onClick={() => setRows(rows.length === 1 ? [{ key: '', value: '' }] : rows.filter((_, j) => j !== i))}
                >
                  −
                </button>
              </div>
            ))}
            <div>
              <button type="button" className="btn btn-small" onClick={() => setRows([...rows, { key: '', value: '' }])}>
                Add context entry
              </button>
            </div>
            {ctx.error && (
              <p className="field-error" role="alert">
                {ctx.error}
              </p>
            )}
          </fieldset>
          <div className="form-footer">
            <button type="button" className="btn" disabled={!valid} onClick={() => void copyCurl()}>
              Copy as curl
            </button>
            <button type="submit" className="btn btn-primary" disabled={!valid || busy}>
              {busy && <span className="spinner" aria-hidden="true" />}
              Evaluate
            </button>
          </div>
          {curl && (
            <Field id="console-curl" label="curl command">
              <textarea id="console-curl" className="code" readOnly rows={6} value={curl} spellCheck={false} />
            </Field>
          )}
        </form>
        <section className="card console-result" aria-labelledby="console-result-heading" aria-live="polite">
          <h2 id="console-result-heading">Response</h2>
          {result === null ? (
            <p className="muted">Enter a flag, an entity id and optional context, then press Evaluate.</p>
          ) : result.ok ? (
            <pre className="code result-json" data-testid="console-result" tabIndex={0} aria-label="Evaluation response JSON">
              {result.text}
            </pre>
          ) : (
            <p className="danger result-error" data-testid="console-error">
              {result.text}
            </p>
          )}
        </section>
      </div>
    </>
  );
}

function Header() {
  return (
    <div className="page-header">
      <div>
        <h1>Console</h1>
        <p className="muted">See the result of evaluating a flag and debug issues.</p>
      </div>
    </div>
  );
}
