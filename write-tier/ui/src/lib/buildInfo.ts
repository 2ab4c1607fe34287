// Version and update information of `GET /meta/info` (§1.13, §7): the footer shows the version;
// the update bell appears only when the server says a newer release exists and names it.

export interface BuildInfo {
  version: string;
  commit: string;
  isRelease: boolean;
  /** Present only when the server reports a newer version with a link to it. */
  update: { version: string; url: string } | null;
}

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** Only http(s) links are followed; anything else would be a script or data URL. */
function safeUrl(raw: string): string {
  try {
    const u = new URL(raw);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : '';
  } catch {
    return '';
  }
}

export function parseBuildInfo(raw: unknown): BuildInfo {
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const latest = str(o.latestVersion);
  const url = safeUrl(str(o.latestVersionURL));
  return {
    version: str(o.version),
    commit: str(o.commit),
    isRelease: o.isRelease === true,
    update: o.updateAvailable === true && latest && url ? { version: latest, url } : null,
  };
}

/** What the footer shows: "v1.2.3" for a release, else the version and the short commit. */
export function versionLabel(b: BuildInfo): string {
  const v = b.version ? (b.version.startsWith('v') ? b.version : `v${b.version}`) : '';
  if (b.isRelease || !b.commit) return v;
  const short = b.commit.slice(0, 7);
  return v ? `${v} (${short})` : short;
}
