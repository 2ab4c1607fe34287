import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { App } from './App';
import { routerBasename } from './lib/base';
import { applyTheme, readThemePref } from './lib/theme';
import './styles.css';

applyTheme(readThemePref());

// A data router (one catch-all route around the app's own <Routes>) so that forms can block
// navigation while they hold unsaved changes (useBlocker needs one).
const router = createBrowserRouter([{ path: '*', element: <App /> }], { basename: routerBasename() || '/' });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <RouterProvider router={router} />
  </StrictMode>,
);
