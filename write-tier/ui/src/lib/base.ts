/**
 * The path the app is served under, with a trailing slash ("/" or "/flipt/").
 *
 * The write tier injects `<base href>` (relative, e.g. "../../") into index.html for every SPA
 * path, so `document.baseURI` is the app root whatever prefix a reverse proxy adds.
 */
export function appBasePath(): string {
  if (cached !== null) return cached;
  if (typeof document === 'undefined') return '/';
  const base = document.querySelector('base');
  if (!base) return (cached = '/');
  cached = basePathFromUrl(base.href);
  // The injected href is relative to the URL the page was loaded from; pin it to the absolute
  // path before client-side navigation changes the document URL.
  base.setAttribute('href', cached);
  return cached;
}

let cached: string | null = null;

export function basePathFromUrl(href: string): string {
  const path = new URL(href).pathname;
  return path.endsWith('/') ? path : path.replace(/[^/]*$/, '');
}

/** Router basename: the base path without its trailing slash ("" at the root). */
export function routerBasename(): string {
  return appBasePath().replace(/\/$/, '');
}

/** The in-app path an old hash URL (`#/namespaces/x/flags`) points to, or null. */
export function legacyHashPath(hash: string): string | null {
  if (!hash.startsWith('#/')) return null;
  return hash.slice(1);
}
