import type { SortDir } from '../lib/urlState';

interface ListToolbarProps {
  search: string;
  onSearch: (q: string) => void;
  sortFields: { value: string; label: string }[];
  sort: string | null;
  dir: SortDir;
  onSort: (sort: string | null, dir: SortDir) => void;
}

export function ListToolbar({ search, onSearch, sortFields, sort, dir, onSort }: ListToolbarProps) {
  return (
    <div className="toolbar">
      <div className="search">
        <label htmlFor="list-search" className="sr-only">
          Search
        </label>
        <span aria-hidden="true" className="search-icon">⌕</span>
        <input id="list-search" type="search" placeholder="Search" value={search} onChange={(e) => onSearch(e.target.value)} />
      </div>
      <label htmlFor="list-sort">Sort</label>
      <select id="list-sort" value={sort ?? ''} onChange={(e) => onSort(e.target.value || null, dir)}>
        <option value="">Server order</option>
        {sortFields.map((f) => (
          <option key={f.value} value={f.value}>
            {f.label}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="btn"
        disabled={!sort}
        title="Sort direction"
        onClick={() => onSort(sort, dir === 'asc' ? 'desc' : 'asc')}
      >
        {dir === 'asc' ? '↑ Ascending' : '↓ Descending'}
      </button>
    </div>
  );
}
