export type ThemePref = 'light' | 'dark' | 'system';
const KEY = 'flipt.theme';

export function readThemePref(storage: Pick<Storage, 'getItem'> | null = safeStorage()): ThemePref {
  const v = storage?.getItem(KEY);
  return v === 'light' || v === 'dark' || v === 'system' ? v : 'system';
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
