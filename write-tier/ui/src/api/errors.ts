/** Message shown when an error response carries no usable JSON body. */
export const UNEXPECTED_ERROR = 'An unexpected error occurred.';

/** An error response of the API, parsed from Flipt's `{"code","message","details"}` body. */
export class ApiError extends Error {
  readonly status: number;
  /** gRPC status code from the body, when present. */
  readonly code: number | null;
  readonly details: unknown[];

  constructor(status: number, message: string, code: number | null, details: unknown[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  get isNotFound(): boolean {
    return this.status === 404 || this.code === 5;
  }

  get isUnauthenticated(): boolean {
    return this.status === 401 || this.code === 16;
  }
}

/**
 * Builds the ApiError for a non-2xx response from its status and body text. Flipt's gateway body
 * is a google.rpc.Status: `{"code": 5, "message": "...", "details": []}`. Anything else (HTML from
 * a proxy, plain text, empty body) gives the generic message.
 */
export function parseErrorBody(status: number, text: string): ApiError {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return new ApiError(status, UNEXPECTED_ERROR, null);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return new ApiError(status, UNEXPECTED_ERROR, null);
  }
  const obj = body as Record<string, unknown>;
  const message =
    typeof obj.message === 'string' && obj.message.trim() !== '' ? obj.message : UNEXPECTED_ERROR;
  const code = typeof obj.code === 'number' && Number.isInteger(obj.code) ? obj.code : null;
  const details = Array.isArray(obj.details) ? obj.details : [];
  return new ApiError(status, message, code, details);
}

/** The text to show in an error toast for any thrown value. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error && err.message) return err.message;
  return UNEXPECTED_ERROR;
}
