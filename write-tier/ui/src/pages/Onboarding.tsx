import { useNavigate } from 'react-router';
import { useNamespaces } from '../components/Namespaces';
import { GETTING_STARTED, MORE_RESOURCES, ONBOARDED_KEY, type Tile } from '../lib/onboarding';
import { safeStorage } from '../lib/theme';
import './onboarding.css';

function Tiles({ tiles, label }: { tiles: Tile[]; label: string }) {
  return (
    <ul className="tiles" aria-label={label}>
      {tiles.map((t) => (
        <li key={t.title}>
          <a className="tile" href={t.href} target="_blank" rel="noopener noreferrer">
            <span className="tile-title">{t.title}</span>
            <span className="tile-text">{t.text}</span>
            <span className="tile-link" aria-hidden="true">
              Open ↗
            </span>
          </a>
        </li>
      ))}
    </ul>
  );
}

/** Onboarding (§2.2); `firstVisit` adds "Continue to Dashboard", which marks it as seen. */
export default function Onboarding({ firstVisit = false }: { firstVisit?: boolean }) {
  const navigate = useNavigate();
  const { current } = useNamespaces();
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Onboarding</h1>
          <p className="muted">Where to start with feature flags on this server.</p>
        </div>
      </div>
      <Tiles tiles={GETTING_STARTED} label="Getting started" />
      <h2>More Resources</h2>
      <Tiles tiles={MORE_RESOURCES} label="More resources" />
      {firstVisit && (
        <div className="onboarding-footer">
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => {
              safeStorage()?.setItem(ONBOARDED_KEY, 'true');
              navigate(`/namespaces/${encodeURIComponent(current)}/flags`, { replace: true });
            }}
          >
            Continue to Dashboard
          </button>
        </div>
      )}
    </>
  );
}
