// Unsaved-changes protection (dashboard.md §1.8, §2.5.2): leaving a page whose form has changes
// asks first. Panels ask through `Panel`; full-page forms use `useUnsavedChangesPrompt`.
import { useEffect } from 'react';
import { useBlocker } from 'react-router';

export const DISCARD_MESSAGE = 'You have unsaved changes. Leave this page and discard them?';

interface Place {
  pathname: string;
}

/**
 * Whether a navigation from `current` to `next` leaves a dirty form behind. Only a new path
 * counts: a changed query or hash keeps the page (and the form) where it is.
 */
export function leavesDirtyForm(dirty: boolean, current: Place, next: Place): boolean {
  return dirty && current.pathname !== next.pathname;
}

/**
 * Asks before an in-app navigation (links, back button, shortcuts) leaves the page while `dirty`,
 * and lets the browser ask before a reload or closing the tab.
 */
export function useUnsavedChangesPrompt(dirty: boolean): void {
  const blocker = useBlocker(({ currentLocation, nextLocation }) => leavesDirtyForm(dirty, currentLocation, nextLocation));
  useEffect(() => {
    if (blocker.state !== 'blocked') return;
    if (window.confirm(DISCARD_MESSAGE)) blocker.proceed();
    else blocker.reset();
  }, [blocker]);
  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      // Older browsers need returnValue set to show their own prompt.
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty]);
}
