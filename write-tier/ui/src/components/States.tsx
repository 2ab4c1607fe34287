import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { RelativeTime } from './DateTime';

export function Spinner({ label = 'Loading' }: { label?: string }) {
  return (
    <div className="center-state" role="status">
      <span className="spinner spinner-lg" aria-hidden="true" />
      <span className="sr-only">{label}</span>
    </div>
  );
}

export function ListSkeleton() {
  return (
    <div className="skeleton" role="status" aria-label="Loading">
      <div className="skeleton-bar skeleton-search" />
      {[0, 1, 2, 3].map((i) => (
        <div key={i} className="skeleton-bar skeleton-row" />
      ))}
    </div>
  );
}

export function EmptyState({ children }: { children: ReactNode }) {
  return <div className="empty-state">{children}</div>;
}

export function ErrorState({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <div className="error-state" role="alert">
      <h2>Error</h2>
      <p>{message}</p>
      {onRetry && (
        <button type="button" className="btn" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

export function ResourceNotFound({ what, backTo, backLabel }: { what: string; backTo: string; backLabel: string }) {
  return (
    <div className="error-state">
      <h1>Not Found</h1>
      <p>{what}</p>
      <Link to={backTo}>{backLabel}</Link>
    </div>
  );
}

/** "Created 3 days ago" with the absolute time as a tooltip, honouring the UTC preference. */
export function Time({ iso, prefix }: { iso: string; prefix: string }) {
  return <RelativeTime iso={iso} prefix={prefix} />;
}
