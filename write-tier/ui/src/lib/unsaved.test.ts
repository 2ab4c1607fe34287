import { describe, expect, it } from 'vitest';
import { leavesDirtyForm } from './unsaved';

describe('leavesDirtyForm', () => {
  const at = (pathname: string) => ({ pathname });

  it('does not block a clean form', () => {
    expect(leavesDirtyForm(false, at('/namespaces/a/flags/new'), at('/namespaces/a/flags'))).toBe(false);
  });

  it('blocks leaving a dirty form for another path', () => {
    expect(leavesDirtyForm(true, at('/namespaces/a/flags/x'), at('/namespaces/a/flags'))).toBe(true);
    expect(leavesDirtyForm(true, at('/namespaces/a/flags/x'), at('/namespaces/a/flags/x/rules'))).toBe(true);
  });

  it('lets a dirty form stay when only the query or hash changes', () => {
    expect(leavesDirtyForm(true, at('/namespaces/a/flags/x'), at('/namespaces/a/flags/x'))).toBe(false);
  });
});
