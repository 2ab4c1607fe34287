import { formatDateTime, relativeTime } from '../lib/time';
import { useRelativeClock, useUtcPref } from '../lib/timePref';

/** "Created 3 days ago" with the absolute time (local or UTC, by preference) as a tooltip. */
export function RelativeTime({ iso, prefix }: { iso: string; prefix?: string }) {
  const [utc] = useUtcPref();
  const now = useRelativeClock();
  const absolute = formatDateTime(iso, utc);
  if (!absolute) return <span>{prefix}</span>;
  return (
    <time dateTime={iso} title={absolute}>
      {prefix ? `${prefix} ` : ''}
      {relativeTime(iso, now)}
    </time>
  );
}

/** An absolute time in the dashboard's one format, local or UTC by preference (tables). */
export function DateTime({ iso }: { iso: string }) {
  const [utc] = useUtcPref();
  const absolute = formatDateTime(iso, utc);
  // Unparsable stored values (for example imported constraint values) are shown as they are.
  if (!absolute) return <span>{iso}</span>;
  return <time dateTime={iso}>{absolute}</time>;
}
