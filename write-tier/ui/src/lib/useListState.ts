import { useCallback, useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { readListState, writeListState, type ListState } from './urlState';

/**
 * Changes the query of the current URL. The change starts from the address bar, not from the
 * last rendered query: navigations render in a transition, so two changes in quick succession
 * (clear the search, then pick a sort) would otherwise lose the first one.
 */
export function useQueryUpdate() {
  const navigate = useNavigate();
  return useCallback(
    (change: (p: URLSearchParams) => URLSearchParams, opts?: { replace?: boolean }) => {
      const next = change(new URLSearchParams(window.location.search)).toString();
      void navigate({ search: next ? `?${next}` : '' }, opts);
    },
    [navigate],
  );
}

/** List state read from and written to the URL query; search text is debounced (~0.5 s). */
export function useListState(sortable: readonly string[]) {
  const [params] = useSearchParams();
  const setQuery = useQueryUpdate();
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
  return { state, search, setSearch, update };
}
