import { useEffect, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { api } from '../api/client';
import { ApiError, errorMessage } from '../api/errors';
import type { Flag } from '../api/types';
import { Field, invalidProps } from '../components/Field';
import { ErrorState, Spinner } from '../components/States';
import { useToast } from '../components/Toasts';
import { appBasePath } from '../lib/base';
import {
  buildCli,
  buildHttpRequest,
  buildJsonBody,
  contextText,
  loadHistory,
  parseContext,
  rememberContext,
  summarize,
  type EvaluationBody,
} from '../lib/console';
import { buildCurl, evaluationUrl, randomEntityId } from '../lib/curl';
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

const storage = (): Storage | undefined => {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
};

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

type Result =
  | { ok: true; kind: 'variant' | 'boolean'; flagKey: string; data: Record<string, unknown> }
  | { ok: false; text: string; unavailable: boolean };

/** Whether an evaluation error means this server does not serve evaluation at all. */
function evaluationUnavailable(err: unknown): boolean {
  // A missing route answers with the gateway's bare "Not Found"; a missing flag names the flag.
  return err instanceof ApiError && (err.status === 404 || err.status === 501) && !/^flag "/.test(err.message);
}

type CopyKind = 'curl' | 'cli' | 'http' | 'json';
const COPY_ITEMS: [CopyKind, string][] = [
  ['curl', 'Curl Request'],
  ['cli', 'Flipt CLI'],
  ['http', 'HTTP Request'],
  ['json', 'JSON Body'],
];

function ConsoleForm({ ns, flags, authEnabled }: { ns: string; flags: Flag[]; authEnabled: boolean }) {
  const toast = useToast();
  const [search] = useSearchParams();
  const preselect = search.get('flag') ?? '';
  const [flagKey, setFlagKey] = useState(flags.some((f) => f.key === preselect) ? preselect : '');
  const [entityId, setEntityId] = useState(randomEntityId);
  const [text, setText] = useState('{}');
  const [result, setResult] = useState<Result | null>(null);
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState<{ label: string; text: string } | null>(null);
  const [history, setHistory] = useState<string[]>(() => (flagKey ? loadHistory(storage(), ns, flagKey) : []));
  const copyMenu = useRef<HTMLDetailsElement>(null);
  const flag = flags.find((f) => f.key === flagKey);
  const kind = flag?.type === 'BOOLEAN_FLAG_TYPE' ? 'boolean' : 'variant';
  const parsed = parseContext(text);
  const valid = flag !== undefined && entityId.trim() !== '' && parsed.context !== null;
  const body: EvaluationBody = { namespaceKey: ns, flagKey, entityId: entityId.trim(), context: parsed.context ?? {} };
  const base = appBasePath();
  const url = evaluationUrl(window.location.origin, base, kind);

  useEffect(() => setHistory(flagKey ? loadHistory(storage(), ns, flagKey) : []), [ns, flagKey]);
  useEffect(() => {
    const menu = copyMenu.current;
    const onDoc = (e: MouseEvent) => {
      if (menu?.open && !menu.contains(e.target as Node)) menu.open = false;
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && menu?.open) {
        menu.open = false;
        menu.querySelector('summary')?.focus();
      }
    };
    document.addEventListener('click', onDoc);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('click', onDoc);
      document.removeEventListener('keydown', onKey);
    };
  }, []);

  if (flags.length === 0) {
    return (
      <>
        <Header />
        <Link className="empty-button" to={`/namespaces/${encodeURIComponent(ns)}/flags/new`}>
          <span aria-hidden="true">+</span> Create Flag
        </Link>
        <p className="muted">At least one flag must exist in this namespace to use the console.</p>
      </>
    );
  }

  const evaluate = async (req: EvaluationBody) => {
    setBusy(true);
    try {
      const res = await api.evaluate(kind, req);
      setResult({ ok: true, kind, flagKey: req.flagKey, data: res });
      setHistory(rememberContext(storage(), ns, req.flagKey, req.context));
    } catch (err) {
      setResult({ ok: false, text: `error: ${errorMessage(err)}`, unavailable: evaluationUnavailable(err) });
    } finally {
      setBusy(false);
    }
  };

  const copy = async (what: CopyKind, label: string) => {
    if (copyMenu.current) copyMenu.current.open = false;
    if (parsed.context === null) {
      toast.error('The request context is not valid: it must be a JSON object with string values.');
      return;
    }
    const cmd =
      what === 'curl'
        ? buildCurl({ url, body, auth: authEnabled })
        : what === 'cli'
          ? buildCli({ address: `${window.location.origin}${base.replace(/\/$/, '')}`, body, auth: authEnabled })
          : what === 'http'
            ? buildHttpRequest({ url, body, auth: authEnabled })
            : buildJsonBody(body);
    setCopied({ label, text: cmd });
    try {
      await navigator.clipboard.writeText(cmd);
      toast.success('Command copied to clipboard');
    } catch {
      toast.error('Could not write to the clipboard; copy the text from the field below the form.');
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
            if (valid && !busy) void evaluate(body);
          }}
          noValidate
        >
          <Field id="console-flag" label="Flag Key">
            <select
              id="console-flag"
              value={flagKey}
              onChange={(e) => {
                setFlagKey(e.target.value);
                setResult(null);
              }}
            >
              <option value="">Select a flag</option>
              {flags.map((f) => (
                <option key={f.key} value={f.key}>
                  {f.name} | {f.type === 'BOOLEAN_FLAG_TYPE' ? 'boolean' : 'variant'} ({f.key}){' '}
                  {f.type === 'BOOLEAN_FLAG_TYPE' || f.enabled ? '● enabled' : '○ disabled'}
                </option>
              ))}
            </select>
          </Field>
          <Field id="console-entity" label="Entity ID" error={entityId.trim() === '' ? 'Required' : null}>
            <div className="multi-input">
              <input
                id="console-entity"
                value={entityId}
                onChange={(e) => setEntityId(e.target.value)}
                spellCheck={false}
                {...invalidProps('console-entity', entityId.trim() === '' ? 'Required' : null)}
              />
              <button type="button" className="btn" aria-label="New Entity ID" title="New Entity ID" onClick={() => setEntityId(randomEntityId())}>
                <span aria-hidden="true">↻</span>
              </button>
            </div>
          </Field>
          <Field
            id="console-context"
            label="Request Context"
            error={parsed.error}
            hint={
              parsed.detail ??
              (parsed.converted.length > 0
                ? `Converted to strings: ${parsed.converted.join(', ')} (the evaluation API takes string values only).`
                : 'A JSON object with string values, for example {"plan": "pro"}.')
            }
          >
            <textarea
              id="console-context"
              className="code context-editor"
              rows={6}
              value={text}
              spellCheck={false}
              autoCapitalize="off"
              autoComplete="off"
              onChange={(e) => setText(e.target.value)}
              {...invalidProps('console-context', parsed.error)}
            />
          </Field>
          {parsed.converted.length > 0 && parsed.context && (
            <p className="muted small">
              <button type="button" className="link-btn" onClick={() => setText(contextText(parsed.context ?? {}))}>
                Rewrite as strings
              </button>
            </p>
          )}
          {history.length > 0 && (
            <div className="context-history">
              <h3 id="console-history-heading">Recent contexts</h3>
              <ul aria-labelledby="console-history-heading">
                {history.map((h) => (
                  <li key={h}>
                    <code className="truncate" title={h}>
                      {h}
                    </code>
                    <button
                      type="button"
                      className="btn btn-small"
                      disabled={busy || entityId.trim() === ''}
                      aria-label={`Re-run with ${h}`}
                      onClick={() => {
                        const context = JSON.parse(h) as Record<string, string>;
                        setText(contextText(context));
                        void evaluate({ ...body, context });
                      }}
                    >
                      Re-run
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          )}
          <div className="form-footer">
            <details className={`menu menu-up${valid ? '' : ' menu-disabled'}`} ref={copyMenu}>
              <summary
                className="btn"
                aria-disabled={!valid}
                onClick={(e) => {
                  if (!valid) e.preventDefault();
                }}
              >
                Copy ▴
              </summary>
              <div className="menu-items">
                {COPY_ITEMS.map(([what, label]) => (
                  <button key={what} type="button" className="menu-item" disabled={!valid} onClick={() => void copy(what, label)}>
                    {label}
                  </button>
                ))}
              </div>
            </details>
            <button type="submit" className="btn btn-primary" disabled={!valid || busy}>
              {busy && <span className="spinner" aria-hidden="true" />}
              Evaluate
            </button>
          </div>
          {copied && (
            <Field id="console-copied" label={`Copied: ${copied.label}`}>
              <textarea
                id="console-copied"
                className="code"
                readOnly
                rows={Math.min(12, copied.text.split('\n').length + 1)}
                value={copied.text}
                spellCheck={false}
                data-testid="console-copied"
              />
            </Field>
          )}
        </form>
        <section className="card console-result" aria-labelledby="console-result-heading" aria-live="polite">
          <h2 id="console-result-heading">Response</h2>
          {result === null ? (
            <p className="muted">Enter a flag, an entity id and optional context, then press Evaluate.</p>
          ) : result.ok ? (
            <>
              <Summary ns={ns} kind={result.kind} data={result.data} />
              <pre className="code result-json" data-testid="console-result" tabIndex={0} aria-label="Evaluation response JSON">
                {JSON.stringify(result.data, null, 2)}
              </pre>
            </>
          ) : (
            <>
              <p className="danger result-error" data-testid="console-error">
                {result.text}
              </p>
              {result.unavailable && (
                <p className="muted" data-testid="console-unavailable">
                  This server does not evaluate flags (it runs with <code>server.role: write</code>). Evaluate against a
                  read tier, or run the write tier with <code>server.role: all</code>.
                </p>
              )}
            </>
          )}
        </section>
      </div>
    </>
  );
}

function Summary({ ns, kind, data }: { ns: string; kind: 'variant' | 'boolean'; data: Record<string, unknown> }) {
  const s = summarize(kind, data);
  return (
    <dl className="result-summary" data-testid="console-summary">
      <div>
        <dt>Matched</dt>
        <dd className={s.matched ? 'badge badge-on' : 'badge badge-off'}>{s.matched ? 'Yes' : 'No'}</dd>
      </div>
      <div>
        <dt>Reason</dt>
        <dd>{s.reason}</dd>
      </div>
      <div>
        <dt>{s.valueLabel}</dt>
        <dd className="mono">{s.value === '' ? <span className="muted">none</span> : s.value}</dd>
      </div>
      <div>
        <dt>Segments</dt>
        <dd>
          {s.segmentKeys.length === 0 ? (
            <span className="muted">none</span>
          ) : (
            s.segmentKeys.map((k, i) => (
              <span key={k}>
                {i > 0 && ', '}
                <Link to={`/namespaces/${encodeURIComponent(ns)}/segments/${encodeURIComponent(k)}`}>{k}</Link>
              </span>
            ))
          )}
        </dd>
      </div>
    </dl>
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
