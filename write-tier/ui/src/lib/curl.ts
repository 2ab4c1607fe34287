// Building the curl command of the console's "Copy" menu ("Curl Request").

/** Quotes a string for a POSIX shell with single quotes. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface CurlInput {
  /** Absolute URL of the evaluation endpoint. */
  url: string;
  body: unknown;
  /** Adds an `Authorization: Bearer <api-token>` placeholder. */
  auth?: boolean;
}

export function buildCurl({ url, body, auth }: CurlInput): string {
  const parts = [
    `curl -sS -X POST ${shellQuote(url)}`,
    `-H ${shellQuote('Content-Type: application/json')}`,
    `-H ${shellQuote('Accept: application/json')}`,
  ];
  if (auth) parts.push(`-H ${shellQuote('Authorization: Bearer <api-token>')}`);
  parts.push(`-d ${shellQuote(JSON.stringify(body))}`);
  return parts.join(' \\\n  ');
}

/** The evaluation endpoint for a flag type at a dashboard origin and base path. */
export function evaluationUrl(origin: string, basePath: string, kind: 'variant' | 'boolean'): string {
  const base = basePath.endsWith('/') ? basePath : `${basePath}/`;
  return `${origin}${base}evaluate/v1/${kind}`;
}

/** A random entity id (UUID v4). */
export function randomEntityId(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto) return crypto.randomUUID();
  const b = Array.from({ length: 16 }, () => Math.floor(Math.random() * 256));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
