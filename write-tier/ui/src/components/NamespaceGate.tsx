import { Link, Outlet, useParams } from 'react-router';
import { useNamespaces } from './Namespaces';

/** Shows "namespace not found" for URLs naming an unknown namespace (§1.3). */
export function NamespaceGate() {
  const { ns = '' } = useParams();
  const { namespaces } = useNamespaces();
  if (!namespaces.some((n) => n.key === ns)) {
    return (
      <div className="error-state">
        <h1>Namespace not found</h1>
        <p>
          The namespace <code>{ns}</code> does not exist.
        </p>
        <Link to="/namespaces/default/flags">Go to the default namespace</Link>
      </div>
    );
  }
  return <Outlet />;
}
