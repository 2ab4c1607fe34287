import { useCallback, useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { readListState, writeListState, type ListState } from './urlState';

type QueryChange = (p: URLSearchParams) => URLSearchParams;

/**
 * List state read from and written to the URL query; search text is debounced (~0.5 s).
 *
 * A change made here shows at once: the router applies navigations in a transition, which can
 * trail the address bar (noticeably while a large namespace loads), and a list must not
 * snap back to its old sort or filter meanwhile. Changes start from the address bar, so two in
 * quick succession (clear the search, then pick a sort) both survive. Back and forward come
 * from the router as usual.
 */
export function useListState(sortable: readonly string[]) {
  const [routerParams] = useSearchParams();
  const navigate = useNavigate();
  const [pending, setPending] = useState<string | null>(null);
  const routerQuery = routerParams.toString();
  useEffect(() => setPending(null), [routerQuery]);
  const params = pending !== null ? new URLSearchParams(pending) : routerParams;

  const setQuery = useCallback(
    (change: QueryChange, opts?: { replace?: boolean }) => {
      const next = change(new URLSearchParams(window.location.search)).toString();
      setPending(next);
      void navigate({ search: next ? `?${next}` : '' }, opts);
    },
    [navigate],
  );

  const state = readListState(params, sortable);
  const [search, setSearch] = useState(state.q);

  useEffect(() => setSearch(state.q), [state.q]);

  useEffect(() => {
    if (search === state.q) return;
    const listPath = window.location.pathname;
    const t = window.setTimeout(() => {
      // The user may have left the list meanwhile (a row clicked, a shortcut): the list is still
      // mounted while the next page loads, and writing its query now would navigate back to it.
      if (window.location.pathname !== listPath) return;
      // A new search starts on its first page.
      setQuery((p) => writeListState({ q: search, page: 1 }, p), { replace: true });
    }, 500);
    return () => window.clearTimeout(t);
  }, [search, state.q, setQuery]);

  const update = (patch: Partial<ListState>) => setQuery((p) => writeListState(patch, p));
  /** Sets (or with null, removes) a filter parameter; a new filter starts on the first page. */
  const setFilter = (name: string, value: string | null) =>
    setQuery((p) => {
      const next = new URLSearchParams(p);
      if (value) next.set(name, value);
      else next.delete(name);
      next.delete('page');
      return next;
    });
  return { state, search, setSearch, update, params, setFilter };
}
