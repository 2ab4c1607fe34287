import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { ApiError, errorMessage } from '../api/errors';
import { copyPreview, flagSegmentKeys, type CopyPreview } from '../lib/namespaceTable';
import './copyFlagPreview.css';

/** Resolves to whether a GET finds the object (404: no); other failures propagate. */
async function exists(get: Promise<unknown>): Promise<boolean> {
  try {
    await get;
    return true;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return false;
    throw err;
  }
}

export interface CopyFlagPreviewState {
  /** The preview for the current target, or null while it is being checked. */
  preview: CopyPreview | null;
  error: string | null;
  segmentKeys: string[] | null;
}

/**
 * The copy-flag preview (dashboard.md §2.5.8): which segments the flag's rules and rollouts use,
 * which of them the target namespace already has (reused as they are) and which the copy will
 * create, and whether the target key is taken. Uses the ordinary list and get endpoints.
 */
export function useCopyFlagPreview(open: boolean, ns: string, flagKey: string, target: string, targetKey: string, valid: boolean): CopyFlagPreviewState {
  const [segmentKeys, setSegmentKeys] = useState<string[] | null>(null);
  const [result, setResult] = useState<{ at: string; preview: CopyPreview | null; error: string | null } | null>(null);

  useEffect(() => {
    if (!open) return;
    let cancelled = false;
    setSegmentKeys(null);
    setResult(null);
    Promise.all([api.listRules(ns, flagKey), api.listRollouts(ns, flagKey)])
      .then(([rules, rollouts]) => {
        if (!cancelled) setSegmentKeys(flagSegmentKeys(rules.rules ?? [], rollouts.rules ?? []));
      })
      .catch((err) => {
        if (!cancelled) setResult({ at: '', preview: null, error: errorMessage(err) });
      });
    return () => {
      cancelled = true;
    };
  }, [open, ns, flagKey]);

  const at = `${target}\n${targetKey}`;
  useEffect(() => {
    if (!open || !valid || segmentKeys === null || !target) return;
    let cancelled = false;
    // Debounced: the key is typed.
    const timer = window.setTimeout(async () => {
      try {
        const [flagExists, ...found] = await Promise.all([
          exists(api.getFlag(target, targetKey)),
          ...segmentKeys.map((k) => exists(api.getSegment(target, k))),
        ]);
        const present = new Set(segmentKeys.filter((_, i) => found[i]));
        const preview = copyPreview(segmentKeys, (k) => present.has(k), { ns: target, key: targetKey, flagExists });
        if (!cancelled) setResult({ at, preview, error: null });
      } catch (err) {
        if (!cancelled) setResult({ at, preview: null, error: errorMessage(err) });
      }
    }, 250);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [open, valid, segmentKeys, target, targetKey, at]);

  const current = result && (result.at === at || result.at === '') ? result : null;
  return { preview: current?.preview ?? null, error: current?.error ?? null, segmentKeys };
}

/** The preview box of the copy dialog. */
export function CopyFlagPreviewBox({ state, target, id }: { state: CopyFlagPreviewState; target: string; id: string }) {
  const { preview, error, segmentKeys } = state;
  let body;
  if (error) {
    body = <p className="muted">The preview is not available: {error}</p>;
  } else if (!preview) {
    body = (
      <p className="muted">
        Checking <strong>{target}</strong>…
      </p>
    );
  } else if (preview.conflict) {
    body = (
      <p className="field-error" id={`${id}-conflict`} role="alert">
        {preview.conflict}
      </p>
    );
  } else if ((segmentKeys ?? []).length === 0) {
    body = <p>The flag&apos;s rules and rollouts use no segments: nothing else is copied.</p>;
  } else {
    body = (
      <ul className="copy-preview-list">
        {preview.reused.length > 0 && (
          <li data-testid="copy-preview-reused">
            Reused (already in <strong>{target}</strong>): {preview.reused.map((k) => <code key={k}>{k}</code>)}
          </li>
        )}
        {preview.created.length > 0 && (
          <li data-testid="copy-preview-created">
            Created in <strong>{target}</strong>: {preview.created.map((k) => <code key={k}>{k}</code>)}
          </li>
        )}
      </ul>
    );
  }
  return (
    <div className="copy-preview" aria-live="polite">
      <h3>Preview</h3>
      {body}
    </div>
  );
}
