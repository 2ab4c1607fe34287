import type { ThemePref } from './theme';

/** What the dashboard uses from `GET /meta/info`. */
export interface MetaInfo {
  version: string;
  readOnly: boolean;
  storageType: string;
  /** The operator's default theme (`ui.default_theme`), used when the user has no stored preference. */
  theme: ThemePref | null;
  /** `ui.topbar.color` when it is a valid hex colour. */
  topbarColor: string | null;
  /** `analytics.enabled` (Flipt omits it when analytics is off). */
  analyticsEnabled: boolean;
}

export const READ_ONLY_TITLE = 'Not allowed in Read-Only mode';

const HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

/** Parses the `/meta/info` body defensively: unknown or malformed fields fall back to defaults. */
export function parseMeta(raw: unknown): MetaInfo {
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const storage = (o.storage && typeof o.storage === 'object' ? o.storage : {}) as Record<string, unknown>;
  const ui = (o.ui && typeof o.ui === 'object' ? o.ui : {}) as Record<string, unknown>;
  const analytics = (o.analytics && typeof o.analytics === 'object' ? o.analytics : {}) as Record<string, unknown>;
  const theme = ui.theme === 'light' || ui.theme === 'dark' || ui.theme === 'system' ? ui.theme : null;
  const color = typeof ui.topbarColor === 'string' && HEX.test(ui.topbarColor.trim()) ? ui.topbarColor.trim() : null;
  return {
    version: typeof o.version === 'string' ? o.version : '',
    readOnly: storage.readOnly === true,
    storageType: typeof storage.type === 'string' ? storage.type : 'database',
    theme,
    topbarColor: color,
    analyticsEnabled: analytics.enabled === true,
  };
}

/** The theme in effect: the user's stored choice, else the operator default, else "system". */
export function effectiveThemePref(stored: ThemePref | null, serverDefault: ThemePref | null | undefined): ThemePref {
  return stored ?? serverDefault ?? 'system';
}

function channel(c: number): number {
  const s = c / 255;
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance of a `#rgb` / `#rrggbb` colour. */
export function luminance(hex: string): number {
  let h = hex.replace('#', '');
  if (h.length === 3) h = h.split('').map((c) => c + c).join('');
  const n = parseInt(h, 16);
  return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
}

/** Black or white, whichever contrasts more with the given background. */
export function readableTextOn(hex: string): '#000000' | '#ffffff' {
  const l = luminance(hex);
  const onWhite = 1.05 / (l + 0.05);
  const onBlack = (l + 0.05) / 0.05;
  return onBlack >= onWhite ? '#000000' : '#ffffff';
}
