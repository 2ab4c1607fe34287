import { useEffect, useId, useRef, useState } from 'react';
import { safeStorage } from '../lib/theme';
import { useBuildInfo } from './Meta';

const SEEN = 'flipt.update.seen';
const DISMISSED = 'flipt.update.dismissed';

function session(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}

/**
 * The update bell (§1.13): shown only when `/meta/info` reports a newer version with a link. A
 * dot marks it until opened in this browser session; "Dismiss" hides it until an even newer
 * version appears.
 */
export function UpdateBell() {
  const update = useBuildInfo()?.update ?? null;
  const id = useId();
  const [open, setOpen] = useState(false);
  const [seen, setSeen] = useState(false);
  const [dismissed, setDismissed] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!update) return;
    setSeen(session()?.getItem(SEEN) === update.version);
    setDismissed(safeStorage()?.getItem(DISMISSED) === update.version);
  }, [update]);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  if (!update || dismissed) return null;

  const toggle = () => {
    if (!seen) {
      session()?.setItem(SEEN, update.version);
      setSeen(true);
    }
    setOpen(!open);
  };

  return (
    <div className="update-bell" ref={root}>
      <button
        ref={button}
        type="button"
        className="icon-btn update-button"
        aria-label={seen ? 'Update available' : 'Update available, not seen yet'}
        aria-expanded={open}
        aria-controls={`${id}-card`}
        onClick={toggle}
      >
        <svg aria-hidden="true" width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
          <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
          <path d="M13.7 21a2 2 0 0 1-3.4 0" />
        </svg>
        {!seen && <span className="update-dot" aria-hidden="true" />}
      </button>
      <div id={`${id}-card`} className="update-card" role="region" aria-labelledby={`${id}-title`} hidden={!open}>
        <h2 id={`${id}-title`}>Update Available</h2>
        <p>Version {update.version} is available.</p>
        <div className="update-actions">
          <a className="btn btn-primary" href={update.url} target="_blank" rel="noopener noreferrer">
            Check It Out
          </a>
          <button
            type="button"
            className="btn"
            onClick={() => {
              safeStorage()?.setItem(DISMISSED, update.version);
              setDismissed(true);
              setOpen(false);
              // The bell is gone: keep keyboard users in the page rather than on <body>.
              document.getElementById('main')?.focus();
            }}
          >
            Dismiss
          </button>
        </div>
      </div>
    </div>
  );
}
