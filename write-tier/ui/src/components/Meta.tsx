import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client';
import { parseBuildInfo, type BuildInfo } from '../lib/buildInfo';
import { parseMeta, READ_ONLY_TITLE, type MetaInfo } from '../lib/meta';

const Ctx = createContext<MetaInfo | null>(null);
const BuildCtx = createContext<BuildInfo | null>(null);

/** Loads `/meta/info` once at start-up; until it answers (or if it fails) nothing is read-only. */
export function MetaProvider({ children }: { children: ReactNode }) {
  const [meta, setMeta] = useState<MetaInfo | null>(null);
  const [build, setBuild] = useState<BuildInfo | null>(null);
  useEffect(() => {
    let live = true;
    api
      .metaInfo()
      .then((raw) => {
        if (!live) return;
        setMeta(parseMeta(raw));
        setBuild(parseBuildInfo(raw));
      })
      .catch(() => {
        /* older servers: behave as writable, server-side checks still apply */
      });
    return () => {
      live = false;
    };
  }, []);
  return (
    <Ctx.Provider value={meta}>
      <BuildCtx.Provider value={build}>{children}</BuildCtx.Provider>
    </Ctx.Provider>
  );
}

/** Version and update information from `/meta/info`; null until it answers. */
export function useBuildInfo(): BuildInfo | null {
  return useContext(BuildCtx);
}

export function useMeta(): MetaInfo | null {
  return useContext(Ctx);
}

/** True when the server's storage is read-only (§1.10). */
export function useReadOnly(): boolean {
  return useContext(Ctx)?.readOnly ?? false;
}

/** Props that disable a control in read-only mode and explain why. */
export function roProps(readOnly: boolean): { disabled?: boolean; title?: string } {
  return readOnly ? { disabled: true, title: READ_ONLY_TITLE } : {};
}

/** A "New …" link that becomes a disabled button with an explanation in read-only mode. */
export function CreateLink({ to, children }: { to: string; children: ReactNode }) {
  const readOnly = useReadOnly();
  if (readOnly) {
    return (
      <button type="button" className="btn btn-primary" disabled title={READ_ONLY_TITLE}>
        {children}
      </button>
    );
  }
  return (
    <Link className="btn btn-primary" to={to}>
      {children}
    </Link>
  );
}
