import { lazy, useEffect } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate, useParams } from 'react-router';
import { Layout } from './components/Layout';
import { MetaProvider } from './components/Meta';
import { NamespaceGate } from './components/NamespaceGate';
import { NamespaceProvider, useNamespaces } from './components/Namespaces';
import { ToastProvider } from './components/Toasts';
import { legacyHashPath } from './lib/base';
import { showsOnboarding } from './lib/onboarding';
import { safeStorage } from './lib/theme';

const FlagsList = lazy(() => import('./pages/FlagsList'));
const FlagNew = lazy(() => import('./pages/FlagNew'));
const FlagDetail = lazy(() => import('./pages/FlagDetail'));
const SegmentsList = lazy(() => import('./pages/SegmentsList'));
const SegmentNew = lazy(() => import('./pages/SegmentNew'));
const SegmentDetail = lazy(() => import('./pages/SegmentDetail'));
const Settings = lazy(() => import('./pages/Settings'));
const NotFound = lazy(() => import('./pages/NotFound'));
const Support = lazy(() => import('./pages/Support'));
const Console = lazy(() => import('./pages/Console'));
const Onboarding = lazy(() => import('./pages/Onboarding'));

/** `/`: onboarding on the first visit in this browser, then the flags list (§1.4, §2.2). */
function Home() {
  if (showsOnboarding(safeStorage())) return <Onboarding firstVisit />;
  return <CurrentNamespaceRedirect to="flags" />;
}

/** `/flags` etc. without a namespace mean "in the current namespace" (§1.4). */
function CurrentNamespaceRedirect({ to }: { to: string }) {
  const { current } = useNamespaces();
  const params = useParams();
  const location = useLocation();
  const rest = params['*'] ? `/${params['*']}` : '';
  return <Navigate replace to={`/namespaces/${encodeURIComponent(current)}/${to}${rest}${location.search}`} />;
}

/** Keeps old hash bookmarks (`/#/namespaces/...`) working. */
function HashRedirect() {
  const location = useLocation();
  const navigate = useNavigate();
  useEffect(() => {
    const path = legacyHashPath(location.hash);
    if (path) navigate(path, { replace: true });
  }, [location.hash, navigate]);
  return null;
}

export function App() {
  return (
    <ToastProvider>
      <MetaProvider>
      <NamespaceProvider>
        <HashRedirect />
        <Routes>
          <Route element={<Layout />}>
            <Route index element={<Home />} />
            <Route path="flags/*" element={<CurrentNamespaceRedirect to="flags" />} />
            <Route path="segments/*" element={<CurrentNamespaceRedirect to="segments" />} />
            <Route path="console" element={<CurrentNamespaceRedirect to="console" />} />
            <Route path="namespaces/:ns" element={<NamespaceGate />}>
              <Route index element={<Navigate replace to="flags" />} />
              <Route path="flags" element={<FlagsList />} />
              <Route path="flags/new" element={<FlagNew />} />
              <Route path="flags/:flag" element={<FlagDetail tab="default" />} />
              <Route path="flags/:flag/rules" element={<FlagDetail tab="rules" />} />
              <Route path="flags/:flag/rollouts" element={<FlagDetail tab="rollouts" />} />
              <Route path="flags/:flag/analytics" element={<FlagDetail tab="analytics" />} />
              <Route path="segments" element={<SegmentsList />} />
              <Route path="segments/new" element={<SegmentNew />} />
              <Route path="segments/:segment" element={<SegmentDetail />} />
              <Route path="console" element={<Console />} />
            </Route>
            <Route path="settings" element={<Settings tab="general" />} />
            <Route path="settings/namespaces" element={<Settings tab="namespaces" />} />
            <Route path="settings/tokens" element={<Settings tab="tokens" />} />
            <Route path="support" element={<Support />} />
            <Route path="onboarding" element={<Onboarding />} />
            <Route path="*" element={<NotFound />} />
          </Route>
        </Routes>
      </NamespaceProvider>
      </MetaProvider>
    </ToastProvider>
  );
}
