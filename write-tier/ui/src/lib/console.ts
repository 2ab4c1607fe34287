// The console's pure helpers (§2.9): parsing the request context, the commands it copies, the
// readable result summary and the per-flag history of contexts.
import { shellQuote } from './curl';

export const CONTEXT_INVALID = 'Must be valid context value';

export interface ParsedContext {
  /** The context to send, or null when the text is not a valid context. */
  context: Record<string, string> | null;
  /** "Must be valid context value" when invalid. */
  error: string | null;
  /** Why the text is invalid, in words (shown as a hint under the message). */
  detail: string | null;
  /** Keys whose number or boolean values were converted to strings. */
  converted: string[];
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : typeof v;
}

/**
 * Parses the context editor's text. It must be a JSON object whose values are strings; numbers
 * and booleans are accepted and converted to strings (reported in `converted`), anything else
 * (null, arrays, nested objects) is invalid. Blank text means `{}`.
 */
export function parseContext(text: string): ParsedContext {
  const invalid = (detail: string): ParsedContext => ({ context: null, error: CONTEXT_INVALID, detail, converted: [] });
  if (text.trim() === '') return { context: {}, error: null, detail: null, converted: [] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return invalid('The text is not valid JSON.');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return invalid(`The context must be a JSON object, not ${describe(value)}.`);
  }
  const context: Record<string, string> = {};
  const converted: string[] = [];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === 'string') context[k] = v;
    else if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean') {
      context[k] = String(v);
      converted.push(k);
    } else {
      return invalid(`The value of "${k}" is ${describe(v)}; values must be strings, numbers or booleans.`);
    }
  }
  return { context, error: null, detail: null, converted };
}

/** The editor text for a context: pretty JSON, `{}` when empty. */
export function contextText(context: Record<string, string>): string {
  return Object.keys(context).length === 0 ? '{}' : JSON.stringify(context, null, 2);
}

export interface EvaluationBody {
  namespaceKey: string;
  flagKey: string;
  entityId: string;
  context: Record<string, string>;
}

/** The request body alone, as pretty JSON. */
export function buildJsonBody(body: EvaluationBody): string {
  return JSON.stringify(body, null, 2);
}

/**
 * The equivalent `flipt evaluate` command of Flipt's CLI:
 * `flipt evaluate <flag> --address <url> --namespace <ns> --entity-id <id> --context k=v …`,
 * plus `--token <api-token>` as a placeholder when authentication is enabled.
 */
export function buildCli({ address, body, auth }: { address: string; body: EvaluationBody; auth?: boolean }): string {
  const q = (s: string) => (/^[A-Za-z0-9_./:=@%+,-]+$/.test(s) ? s : shellQuote(s));
  const parts = [
    `flipt evaluate ${q(body.flagKey)}`,
    `--address ${q(address)}`,
    `--namespace ${q(body.namespaceKey)}`,
    `--entity-id ${q(body.entityId)}`,
  ];
  for (const [k, v] of Object.entries(body.context)) parts.push(`--context ${q(`${k}=${v}`)}`);
  if (auth) parts.push(`--token ${shellQuote('<api-token>')}`);
  return parts.join(' ');
}

/** The raw HTTP/1.1 request of an evaluation, for pasting into HTTP clients (`.http` files). */
export function buildHttpRequest({ url, body, auth }: { url: string; body: EvaluationBody; auth?: boolean }): string {
  const u = new URL(url);
  const json = JSON.stringify(body, null, 2);
  const lines = [
    `POST ${u.pathname}${u.search} HTTP/1.1`,
    `Host: ${u.host}`,
    'Content-Type: application/json',
    'Accept: application/json',
  ];
  if (auth) lines.push('Authorization: Bearer <api-token>');
  lines.push(`Content-Length: ${new TextEncoder().encode(json).length}`);
  // LF line ends, as HTTP client files (.http) use; a textarea could not show CR anyway.
  return `${lines.join('\n')}\n\n${json}`;
}

const REASONS: Record<string, string> = {
  MATCH_EVALUATION_REASON: 'A rule or rollout matched the request.',
  DEFAULT_EVALUATION_REASON: 'Nothing matched; the flag returned its default.',
  FLAG_DISABLED_EVALUATION_REASON: 'The flag is disabled.',
  UNKNOWN_EVALUATION_REASON: 'No rule matched the request.',
  ERROR_EVALUATION_REASON: 'The evaluation failed.',
};

/** An evaluation reason in words. */
export function reasonText(reason: unknown): string {
  return typeof reason === 'string' ? (REASONS[reason] ?? reason) : 'Unknown reason.';
}

export interface ResultSummary {
  matched: boolean;
  reason: string;
  /** "Variant" for variant flags, "Value" for boolean flags. */
  valueLabel: 'Variant' | 'Value';
  /** The variant key ('' when none) or "true" / "false". */
  value: string;
  segmentKeys: string[];
}

/** A readable summary of an evaluation response. */
export function summarize(kind: 'variant' | 'boolean', res: Record<string, unknown>): ResultSummary {
  const segmentKeys = Array.isArray(res.segmentKeys) ? res.segmentKeys.filter((s): s is string => typeof s === 'string') : [];
  if (kind === 'boolean') {
    return {
      matched: res.reason === 'MATCH_EVALUATION_REASON',
      reason: reasonText(res.reason),
      valueLabel: 'Value',
      value: res.enabled === true ? 'true' : 'false',
      segmentKeys,
    };
  }
  return {
    matched: res.match === true,
    reason: reasonText(res.reason),
    valueLabel: 'Variant',
    value: typeof res.variantKey === 'string' ? res.variantKey : '',
    segmentKeys,
  };
}

// ------------------------------------------------------------------ history

/** How many contexts are remembered per flag. */
export const HISTORY_SIZE = 5;

export function historyKey(ns: string, flag: string): string {
  return `flipt.console.history:${ns}/${flag}`;
}

/** The remembered contexts of a flag, newest first (compact JSON strings). */
export function loadHistory(storage: Pick<Storage, 'getItem'> | undefined, ns: string, flag: string): string[] {
  try {
    const raw = storage?.getItem(historyKey(ns, flag));
    const list: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string').slice(0, HISTORY_SIZE) : [];
  } catch {
    return [];
  }
}

/** Remembers a context (moved to the front if already there) and returns the new list. */
export function rememberContext(
  storage: Pick<Storage, 'getItem' | 'setItem'> | undefined,
  ns: string,
  flag: string,
  context: Record<string, string>,
): string[] {
  const entry = JSON.stringify(context);
  const list = [entry, ...loadHistory(storage, ns, flag).filter((x) => x !== entry)].slice(0, HISTORY_SIZE);
  try {
    storage?.setItem(historyKey(ns, flag), JSON.stringify(list));
  } catch {
    /* storage full or disabled: history is a convenience */
  }
  return list;
}
