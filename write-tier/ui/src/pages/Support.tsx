import { Link } from 'react-router';
import { SUPPORT_DOCS, SUPPORT_LINKS } from '../lib/onboarding';
import './onboarding.css';

/**
 * Support (dashboard.md §2.11): onboarding again, and where to get help. This server has no
 * issue tracker or mailbox of its own to point at (operators run it), so the cards lead to the
 * documentation and community of the Flipt v1 API it implements.
 */
export default function Support() {
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Support</h1>
          <p className="muted">Help with flags, segments and the API this server implements.</p>
        </div>
        <a className="btn" href={SUPPORT_DOCS} target="_blank" rel="noopener noreferrer">
          Documentation ↗
        </a>
      </div>
      <ul className="tiles" aria-label="Support options">
        <li>
          <Link className="tile" to="/onboarding">
            <span className="tile-title">Onboarding</span>
            <span className="tile-text">The getting-started tiles shown on the first visit.</span>
            <span className="tile-link" aria-hidden="true">
              Let&apos;s Go →
            </span>
          </Link>
        </li>
        {SUPPORT_LINKS.map((t) => (
          <li key={t.title}>
            <a className="tile" href={t.href} target="_blank" rel="noopener noreferrer">
              <span className="tile-title">{t.title}</span>
              <span className="tile-text">{t.text}</span>
              <span className="tile-link" aria-hidden="true">
                {t.action} ↗
              </span>
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}
