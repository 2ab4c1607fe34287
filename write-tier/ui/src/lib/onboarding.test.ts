import { describe, expect, it } from 'vitest';
import { GETTING_STARTED, MORE_RESOURCES, ONBOARDED_KEY, showsOnboarding } from './onboarding';

const storage = (items: Record<string, string>) => ({ getItem: (k: string) => items[k] ?? null });

describe('showsOnboarding', () => {
  it('shows it on the first visit', () => {
    expect(showsOnboarding(storage({}))).toBe(true);
  });

  it('skips it once the user continued', () => {
    expect(showsOnboarding(storage({ [ONBOARDED_KEY]: 'true' }))).toBe(false);
  });

  it('skips it when the browser keeps no storage', () => {
    expect(showsOnboarding(null)).toBe(false);
  });
});

describe('tiles', () => {
  it('has the eight tiles of Flipt, each with an https link', () => {
    expect([...GETTING_STARTED, ...MORE_RESOURCES].map((t) => t.title)).toEqual([
      'Get Started',
      'Try the CLI',
      'Checkout a Guide',
      'Integrate Your Application',
      'Chat With Us',
      'View API Reference',
      'Support Us',
      'Join the Community',
    ]);
    for (const t of [...GETTING_STARTED, ...MORE_RESOURCES]) expect(t.href).toMatch(/^https:\/\//);
  });
});
