export type ThemePref = 'light' | 'dark' | 'system';
const KEY = 'flipt.theme';

export function readThemePref(storage: Pick<Storage, 'getItem'> | null = safeStorage()): ThemePref {
  return storedThemePref(storage) ?? 'system';
}

/** The user's own choice, or null when they never picked one (the operator default then applies). */
export function storedThemePref(storage: Pick<Storage, 'getItem'> | null = safeStorage()): ThemePref | null {
  const v = storage?.getItem(KEY);
  return v === 'light' || v === 'dark' || v === 'system' ? v : null;
}

export function writeThemePref(pref: ThemePref): void {
  safeStorage()?.setItem(KEY, pref);
}

export function resolveTheme(pref: ThemePref, systemDark: boolean): 'light' | 'dark' {
  if (pref === 'system') return systemDark ? 'dark' : 'light';
  return pref;
}

export function applyTheme(pref: ThemePref): void {
  const dark = window.matchMedia('(prefers-color-scheme: dark)').matches;
  const theme = resolveTheme(pref, dark);
  document.documentElement.dataset.theme = theme;
  document.documentElement.style.colorScheme = theme;
}

export function safeStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
