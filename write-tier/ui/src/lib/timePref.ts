// The "UTC Timezone" preference (§2.10.1): stored in this browser only, shared by every component
// that shows a time through a tiny subscription store (no provider needed), and kept in sync
// across tabs through the `storage` event.
import { useEffect, useState, useSyncExternalStore } from 'react';
import { safeStorage } from './theme';

const KEY = 'flipt.utc';
const listeners = new Set<() => void>();

/** Reads the stored preference; anything but "true" means local time. */
export function readUtcPref(storage: Pick<Storage, 'getItem'> | null = safeStorage()): boolean {
  return storage?.getItem(KEY) === 'true';
}

export function writeUtcPref(utc: boolean): void {
  safeStorage()?.setItem(KEY, String(utc));
  listeners.forEach((fn) => fn());
}

function subscribe(fn: () => void): () => void {
  listeners.add(fn);
  const onStorage = (e: StorageEvent) => {
    if (e.key === KEY) fn();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(fn);
    window.removeEventListener('storage', onStorage);
  };
}

/** The UTC preference and its setter; every user re-renders when it changes. */
export function useUtcPref(): [boolean, (utc: boolean) => void] {
  const utc = useSyncExternalStore(subscribe, () => readUtcPref(), () => false);
  return [utc, writeUtcPref];
}

/** The current time, refreshed every `intervalMs` (relative times and the live example). */
export function useNow(intervalMs: number): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = window.setInterval(() => setNow(new Date()), intervalMs);
    return () => window.clearInterval(id);
  }, [intervalMs]);
  return now;
}

// One shared 30-second tick for all relative times on screen, instead of a timer per row.
const tickListeners = new Set<() => void>();
let tick = Date.now();
let tickTimer: number | undefined;

function subscribeTick(fn: () => void): () => void {
  tickListeners.add(fn);
  if (tickTimer === undefined) {
    tickTimer = window.setInterval(() => {
      tick = Date.now();
      tickListeners.forEach((l) => l());
    }, 30_000);
  }
  return () => {
    tickListeners.delete(fn);
    if (tickListeners.size === 0 && tickTimer !== undefined) {
      window.clearInterval(tickTimer);
      tickTimer = undefined;
    }
  };
}

/** A clock that advances every 30 seconds, shared by every relative time. */
export function useRelativeClock(): Date {
  useSyncExternalStore(subscribeTick, () => tick, () => tick);
  return new Date();
}
