import { PAGE_SIZES } from '../lib/urlState';

interface PaginationProps {
  page: number;
  pages: number;
  limit: number;
  onPage: (page: number) => void;
  onLimit: (limit: number) => void;
}

export function Pagination({ page, pages, limit, onPage, onLimit }: PaginationProps) {
  return (
    <nav className="pagination" aria-label="Pagination">
      <label htmlFor="rows-per-page">Rows per page</label>
      <select id="rows-per-page" value={limit} onChange={(e) => onLimit(Number(e.target.value))}>
        {PAGE_SIZES.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
      <span>
        Page {page} of {pages}
      </span>
      <button type="button" className="icon-btn" aria-label="Go to first page" disabled={page <= 1} onClick={() => onPage(1)}>
        «
      </button>
      <button type="button" className="icon-btn" aria-label="Go to previous page" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        ‹
      </button>
      <button type="button" className="icon-btn" aria-label="Go to next page" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        ›
      </button>
      <button type="button" className="icon-btn" aria-label="Go to last page" disabled={page >= pages} onClick={() => onPage(pages)}>
        »
      </button>
    </nav>
  );
}
