// The keyboard shortcuts' decision (§1.11), apart from the DOM: which action a key press asks for
// in the current situation. Ctrl/Cmd+K works everywhere except on top of another dialog; the
// single keys only when the user is not typing and no dialog is open.
import { listPageOf } from './palette';

export type ShortcutAction =
  | { kind: 'palette' }
  | { kind: 'search' }
  | { kind: 'new'; to: string }
  | { kind: 'help' };

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  repeat: boolean;
}

export interface ShortcutContext {
  /** Focus is in a text field, text area, select or editable element. */
  typing: boolean;
  /** A dialog other than the command palette is open (form panel, confirmation, help). */
  otherDialogOpen: boolean;
  /** Any dialog is open, the palette included. */
  dialogOpen: boolean;
  /** Router path of the current page. */
  pathname: string;
  readOnly: boolean;
  /** The page has a list search field. */
  hasSearch: boolean;
}

export function shortcutFor(e: KeyPress, ctx: ShortcutContext): ShortcutAction | null {
  if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k') {
    return ctx.otherDialogOpen ? null : { kind: 'palette' };
  }
  if (e.repeat || e.ctrlKey || e.metaKey || e.altKey || ctx.typing || ctx.dialogOpen) return null;
  if (e.key === '/') return ctx.hasSearch ? { kind: 'search' } : null;
  if (e.key === 'c' && !e.shiftKey) {
    if (ctx.readOnly || !listPageOf(ctx.pathname)) return null;
    return { kind: 'new', to: `${ctx.pathname.replace(/\/$/, '')}/new` };
  }
  if (e.key === '?') return { kind: 'help' };
  return null;
}
