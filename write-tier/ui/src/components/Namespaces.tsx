import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useMatch } from 'react-router';
import { api } from '../api/client';
import { errorMessage } from '../api/errors';
import type { Namespace } from '../api/types';
import { safeStorage } from '../lib/theme';

const LAST_NS = 'flipt.namespace';

interface NamespaceState {
  namespaces: Namespace[];
  loading: boolean;
  error: string | null;
  /** The namespace in the URL, else the last used, else "default", else the first one. */
  current: string;
  reload: () => Promise<void>;
  remember: (key: string) => void;
}

const Ctx = createContext<NamespaceState | null>(null);

export function useNamespaces(): NamespaceState {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error('useNamespaces outside NamespaceProvider');
  return ctx;
}

export function NamespaceProvider({ children }: { children: ReactNode }) {
  const [namespaces, setNamespaces] = useState<Namespace[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [last, setLast] = useState<string | null>(() => safeStorage()?.getItem(LAST_NS) ?? null);
  const match = useMatch('/namespaces/:ns/*');
  const fromUrl = match?.params.ns;

  const reload = useCallback(async () => {
    try {
      const list = await api.listNamespaces();
      setNamespaces(list.namespaces);
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  const remember = useCallback((key: string) => {
    safeStorage()?.setItem(LAST_NS, key);
    setLast(key);
  }, []);

  useEffect(() => {
    if (fromUrl && namespaces.some((n) => n.key === fromUrl) && fromUrl !== last) remember(fromUrl);
  }, [fromUrl, namespaces, last, remember]);

  const current = useMemo(() => {
    if (fromUrl) return fromUrl;
    if (last && namespaces.some((n) => n.key === last)) return last;
    if (namespaces.length === 0 || namespaces.some((n) => n.key === 'default')) return 'default';
    return namespaces[0].key;
  }, [fromUrl, last, namespaces]);

  const value = useMemo(
    () => ({ namespaces, loading, error, current, reload, remember }),
    [namespaces, loading, error, current, reload, remember],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}
