import { useMeta } from './Meta';

/** Flipt v1's documentation of the analytics configuration (ClickHouse or Prometheus). */
export const ANALYTICS_DOCS_URL = 'https://docs.flipt.io/v1/configuration/analytics';

/**
 * The flag's "Analytics" tab (§2.5.9). This server keeps no evaluation counts, so `/meta/info`
 * reports analytics as disabled (Flipt omits `analytics.enabled` then) and the tab says so.
 */
export function AnalyticsTab() {
  const meta = useMeta();
  return (
    <section aria-labelledby="analytics-heading">
      <h2 id="analytics-heading" className="sr-only">
        Analytics
      </h2>
      {meta?.analyticsEnabled ? (
        <div className="empty-state" data-testid="analytics-unsupported">
          The server reports analytics as enabled, but this dashboard cannot chart evaluation counts yet.
        </div>
      ) : (
        <div className="empty-state analytics-disabled" data-testid="analytics-disabled">
          <p>
            <strong>Analytics Disabled</strong>
          </p>
          <p>
            Evaluation counts are not recorded by this server. See the{' '}
            <a href={ANALYTICS_DOCS_URL} target="_blank" rel="noreferrer">
              analytics configuration documentation
            </a>{' '}
            to learn how Flipt collects them.
          </p>
        </div>
      )}
    </section>
  );
}
