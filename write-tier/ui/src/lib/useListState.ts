import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { readListState, writeListState, type ListState } from './urlState';

/** List state read from and written to the URL query; search text is debounced (~0.5 s). */
export function useListState(sortable: readonly string[]) {
  const [params, setParams] = useSearchParams();
  const state = readListState(params, sortable);
  const [search, setSearch] = useState(state.q);

  useEffect(() => setSearch(state.q), [state.q]);

  useEffect(() => {
    if (search === state.q) return;
    const t = window.setTimeout(() => {
      setParams((p) => writeListState({ q: search }, p), { replace: true });
    }, 500);
    return () => window.clearTimeout(t);
  }, [search, state.q, setParams]);

  const update = (patch: Partial<ListState>) => setParams((p) => writeListState(patch, p));
  return { state, search, setSearch, update };
}
