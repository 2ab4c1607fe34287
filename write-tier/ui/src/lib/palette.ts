// The command palette's pure logic (§1.11): which commands exist on the current page, how a
// query matches and ranks them, and how the active row moves. The component only renders and
// carries out the `Action` of the chosen command.
import type { ThemePref } from './theme';

export type Action =
  | { kind: 'navigate'; to: string }
  | { kind: 'page'; page: SubPage }
  | { kind: 'namespace'; key: string }
  | { kind: 'theme'; pref: ThemePref }
  | { kind: 'help' };

export type SubPage = 'namespaces' | 'theme';

export interface PaletteItem {
  id: string;
  name: string;
  description?: string;
  /** Extra words that match the item (keys, synonyms). */
  keywords?: string[];
  /** Group heading the item is listed under; groups keep the order of their first item. */
  group: string;
  /** A single-key shortcut that does the same thing, shown as a hint. */
  shortcut?: string;
  /** Marks the current namespace or theme in a sub-list. */
  current?: boolean;
  action: Action;
}

export interface PaletteContext {
  /** The current namespace key. */
  ns: string;
  /** On a namespace-level list page with more than one namespace (§1.3, §1.11). */
  canSwitchNamespace: boolean;
  readOnly: boolean;
  /** Whether the support page exists; the item is left out otherwise. */
  hasSupport: boolean;
  /** The list page the user is on, for the `c` hint on "New flag" / "New segment". */
  listPage: 'flags' | 'segments' | null;
}

const NAV = 'Navigation';
const ACTIONS = 'Actions';
const SETTINGS = 'Settings';

/** The top-level commands for the current page. */
export function rootItems(ctx: PaletteContext): PaletteItem[] {
  const ns = `/namespaces/${encodeURIComponent(ctx.ns)}`;
  const items: PaletteItem[] = [
    { id: 'flags', group: NAV, name: 'Flags', description: 'Manage the feature flags of this namespace', keywords: ['feature', 'toggles', 'list'], action: { kind: 'navigate', to: `${ns}/flags` } },
    { id: 'segments', group: NAV, name: 'Segments', description: 'Manage the segments of this namespace', keywords: ['audiences', 'constraints', 'list'], action: { kind: 'navigate', to: `${ns}/segments` } },
    { id: 'console', group: NAV, name: 'Console', description: 'Evaluate flags to test and debug them', keywords: ['evaluate', 'debug', 'test'], action: { kind: 'navigate', to: `${ns}/console` } },
  ];
  if (ctx.canSwitchNamespace) {
    items.push({ id: 'switch-ns', group: NAV, name: 'Switch Namespaces', description: 'Show this page in another namespace', keywords: ['namespace', 'change', 'switch'], action: { kind: 'page', page: 'namespaces' } });
  }
  if (!ctx.readOnly) {
    items.push(
      { id: 'new-flag', group: ACTIONS, name: 'New flag', description: 'Create a flag in this namespace', keywords: ['create', 'add'], shortcut: ctx.listPage === 'flags' ? 'c' : undefined, action: { kind: 'navigate', to: `${ns}/flags/new` } },
      { id: 'new-segment', group: ACTIONS, name: 'New segment', description: 'Create a segment in this namespace', keywords: ['create', 'add'], shortcut: ctx.listPage === 'segments' ? 'c' : undefined, action: { kind: 'navigate', to: `${ns}/segments/new` } },
    );
  }
  items.push(
    { id: 'settings-general', group: SETTINGS, name: 'Settings: General', description: 'Preferences for theme and time zone', keywords: ['preferences', 'utc', 'timezone'], action: { kind: 'navigate', to: '/settings' } },
    { id: 'settings-namespaces', group: SETTINGS, name: 'Settings: Namespaces', description: 'Create, edit and delete namespaces', keywords: ['namespaces'], action: { kind: 'navigate', to: '/settings/namespaces' } },
    { id: 'settings-tokens', group: SETTINGS, name: 'Settings: API Tokens', description: 'Manage static API tokens', keywords: ['api', 'tokens', 'authentication'], action: { kind: 'navigate', to: '/settings/tokens' } },
  );
  if (ctx.hasSupport) {
    items.push({ id: 'support', group: SETTINGS, name: 'Support', description: 'Get help with the dashboard', keywords: ['help', 'docs'], action: { kind: 'navigate', to: '/support' } });
  }
  items.push(
    { id: 'theme', group: SETTINGS, name: 'Preferences: Change Theme', description: 'Use the light, dark or system theme', keywords: ['theme', 'dark', 'light', 'mode', 'appearance'], action: { kind: 'page', page: 'theme' } },
    { id: 'shortcuts', group: SETTINGS, name: 'Keyboard Shortcuts', description: 'Show the keyboard shortcuts', keywords: ['keys', 'help', 'hotkeys'], shortcut: '?', action: { kind: 'help' } },
  );
  return items;
}

/** The namespace sub-list, by name, with the key as description and the current one marked. */
export function namespaceItems(namespaces: { key: string; name: string }[], current: string): PaletteItem[] {
  return namespaces.map((n) => ({
    id: `ns:${n.key}`,
    group: 'Switch to Namespace',
    name: n.name || n.key,
    description: n.key,
    keywords: [n.key],
    current: n.key === current,
    action: { kind: 'namespace', key: n.key },
  }));
}

export function themeItems(current: ThemePref): PaletteItem[] {
  const themes: [ThemePref, string, string][] = [
    ['light', 'Light', 'Always use the light theme'],
    ['dark', 'Dark', 'Always use the dark theme'],
    ['system', 'System', 'Follow the operating system setting'],
  ];
  return themes.map(([pref, name, description]) => ({
    id: `theme:${pref}`,
    group: 'Change Theme',
    name,
    description,
    current: pref === current,
    action: { kind: 'theme', pref },
  }));
}

/** A flag or segment found by the palette search. */
export interface EntityHit {
  key: string;
  name: string;
}

/** Palette rows for flags and segments of the namespace, searched by key and name. */
export function entityItems(kind: 'flag' | 'segment', ns: string, hits: EntityHit[]): PaletteItem[] {
  const base = `/namespaces/${encodeURIComponent(ns)}/${kind === 'flag' ? 'flags' : 'segments'}`;
  return hits.map((h) => ({
    id: `${kind}:${h.key}`,
    group: kind === 'flag' ? 'Flags' : 'Segments',
    name: h.name || h.key,
    description: h.key,
    keywords: [h.key],
    action: { kind: 'navigate', to: `${base}/${encodeURIComponent(h.key)}` },
  }));
}

const words = (s: string) => s.split(/[^\p{L}\p{N}]+/u).filter(Boolean);

/**
 * Whether the letters of `needle` appear in order in one word of `hay` that starts with the same
 * letter (loose typing such as "cnsl" for "Console").
 */
function looseMatch(needle: string, hay: string): boolean {
  return words(hay).some((word) => {
    if (word[0] !== needle[0]) return false;
    let i = 0;
    for (const ch of word) {
      if (ch === needle[i]) i++;
      if (i === needle.length) return true;
    }
    return false;
  });
}

function tokenScore(token: string, item: PaletteItem): number {
  const name = item.name.toLowerCase();
  const keywords = (item.keywords ?? []).map((k) => k.toLowerCase());
  if (name === token) return 100;
  if (keywords.includes(token)) return 90;
  if (name.startsWith(token)) return 80;
  if (words(name).some((w) => w.startsWith(token))) return 60;
  if (keywords.some((k) => k.startsWith(token))) return 50;
  if (name.includes(token)) return 40;
  if (keywords.some((k) => k.includes(token))) return 30;
  if ((item.description ?? '').toLowerCase().includes(token)) return 10;
  if (token.length >= 3 && looseMatch(token, name)) return 5;
  return 0;
}

/**
 * Scores an item against a query: every whitespace-separated word of the query must match the
 * name, a keyword or the description (case-insensitive); better matches (exact, prefix, word
 * start) score higher. 0 means no match; an empty query matches everything with 1.
 */
export function scoreItem(item: PaletteItem, query: string): number {
  const tokens = query.toLowerCase().trim().split(/\s+/).filter(Boolean);
  if (tokens.length === 0) return 1;
  let total = 0;
  for (const t of tokens) {
    const s = tokenScore(t, item);
    if (s === 0) return 0;
    total += s;
  }
  // The whole query at the start of the name ranks above scattered word matches.
  if (tokens.length > 1 && item.name.toLowerCase().startsWith(query.toLowerCase().trim())) total += 50;
  return total;
}

/**
 * The items matching `query`: groups keep their order, items inside a group are ranked by score
 * (ties keep their original order), and each group is cut to `perGroup` rows.
 */
export function filterItems(items: PaletteItem[], query: string, perGroup = Infinity): PaletteItem[] {
  const groups = new Map<string, { item: PaletteItem; score: number; index: number }[]>();
  items.forEach((item, index) => {
    const score = scoreItem(item, query);
    if (score === 0) return;
    const list = groups.get(item.group) ?? [];
    list.push({ item, score, index });
    groups.set(item.group, list);
  });
  const out: PaletteItem[] = [];
  for (const list of groups.values()) {
    list.sort((a, b) => b.score - a.score || a.index - b.index);
    out.push(...list.slice(0, perGroup).map((e) => e.item));
  }
  return out;
}

/** The next active row: moves by `delta` and wraps around at both ends; -1 when empty. */
export function moveActive(index: number, count: number, delta: number): number {
  if (count <= 0) return -1;
  if (index < 0) return delta >= 0 ? 0 : count - 1;
  return (((index + delta) % count) + count) % count;
}

/** Rewrites a namespaced path to another namespace: the same page type in the new namespace. */
export function switchNamespacePath(pathname: string, key: string): string {
  const match = pathname.match(/^\/namespaces\/[^/]+(\/.*)?$/);
  const rest = match ? (match[1] ?? '') : '/flags';
  return `/namespaces/${encodeURIComponent(key)}${rest}`;
}

/** Namespace-level list pages, where switching namespace makes sense (§1.3). */
export function isNamespaceListPath(pathname: string): boolean {
  return /^\/namespaces\/[^/]+\/(flags|segments|console)\/?$/.test(pathname);
}

/** The flags or segments list the user is on (where `c` creates a new one), or null. */
export function listPageOf(pathname: string): 'flags' | 'segments' | null {
  const m = /^\/namespaces\/[^/]+\/(flags|segments)\/?$/.exec(pathname);
  return m ? (m[1] as 'flags' | 'segments') : null;
}
