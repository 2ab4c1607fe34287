import { describe, expect, it } from 'vitest';
import { parseBuildInfo, versionLabel } from './buildInfo';

describe('parseBuildInfo', () => {
  it('reads version, commit and release state', () => {
    expect(parseBuildInfo({ version: '0.1.0', commit: 'abcdef0123', isRelease: false, updateAvailable: false })).toEqual({
      version: '0.1.0',
      commit: 'abcdef0123',
      isRelease: false,
      update: null,
    });
  });

  it('reports an update only with a version and an http(s) link', () => {
    const base = { version: '1.0.0', updateAvailable: true, latestVersion: 'v1.1.0' };
    expect(parseBuildInfo({ ...base, latestVersionURL: 'https://example.com/r/v1.1.0' }).update).toEqual({
      version: 'v1.1.0',
      url: 'https://example.com/r/v1.1.0',
    });
    expect(parseBuildInfo({ ...base }).update).toBeNull();
    expect(parseBuildInfo({ ...base, latestVersionURL: 'javascript:alert(1)' }).update).toBeNull();
    expect(parseBuildInfo({ ...base, latestVersion: '', latestVersionURL: 'https://x.test' }).update).toBeNull();
    expect(parseBuildInfo({ ...base, updateAvailable: 'true', latestVersionURL: 'https://x.test' }).update).toBeNull();
  });

  it('survives garbage', () => {
    expect(parseBuildInfo(null)).toEqual({ version: '', commit: '', isRelease: false, update: null });
    expect(parseBuildInfo({ version: 3 }).version).toBe('');
  });
});

describe('versionLabel', () => {
  it('shows the tag for releases and the short commit otherwise', () => {
    expect(versionLabel({ version: '1.2.3', commit: 'abcdef0123', isRelease: true, update: null })).toBe('v1.2.3');
    expect(versionLabel({ version: 'v1.2.3', commit: 'abcdef0123', isRelease: false, update: null })).toBe('v1.2.3 (abcdef0)');
    expect(versionLabel({ version: '0.1.0', commit: '', isRelease: false, update: null })).toBe('v0.1.0');
    expect(versionLabel({ version: '', commit: 'abcdef0123', isRelease: false, update: null })).toBe('abcdef0');
    expect(versionLabel({ version: '', commit: '', isRelease: false, update: null })).toBe('');
  });
});
