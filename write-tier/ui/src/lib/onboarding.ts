// Onboarding (dashboard.md §2.2): shown at `/` until the user continues to the dashboard once in
// this browser; always available at `/onboarding`.

export const ONBOARDED_KEY = 'flipt.onboarded';

/** Whether `/` should show onboarding instead of going to the flags list. */
export function showsOnboarding(storage: Pick<Storage, 'getItem'> | null): boolean {
  // Without storage (private modes that refuse it) the user would see it on every visit.
  if (!storage) return false;
  return storage.getItem(ONBOARDED_KEY) !== 'true';
}

export interface Tile {
  title: string;
  text: string;
  href: string;
}

// The API is Flipt v1's, so Flipt's v1 documentation applies as it is.
export const GETTING_STARTED: Tile[] = [
  { title: 'Get Started', text: 'Learn the concepts: flags, variants, segments, rules and rollouts.', href: 'https://docs.flipt.io/v1/introduction' },
  { title: 'Try the CLI', text: 'Evaluate flags and import or export namespaces from a terminal.', href: 'https://docs.flipt.io/v1/cli/overview' },
  { title: 'Checkout a Guide', text: 'Step-by-step guides for common rollout patterns.', href: 'https://docs.flipt.io/v1/guides' },
  { title: 'Integrate Your Application', text: 'Evaluate flags from your code with a client SDK or the REST API.', href: 'https://docs.flipt.io/v1/integration' },
];

export const MORE_RESOURCES: Tile[] = [
  { title: 'Chat With Us', text: 'Ask questions and share what you are building.', href: 'https://flipt.io/discord' },
  { title: 'View API Reference', text: 'Every endpoint of the REST API this server implements.', href: 'https://docs.flipt.io/v1/reference/overview' },
  { title: 'Support Us', text: 'Star the Flipt project whose API this server follows.', href: 'https://github.com/flipt-io/flipt' },
  { title: 'Join the Community', text: 'Discussions, ideas and announcements.', href: 'https://github.com/flipt-io/flipt/discussions' },
];

/** Support page (§2.11): the documentation link in its header. */
export const SUPPORT_DOCS = 'https://docs.flipt.io/v1/introduction';

export const SUPPORT_LINKS: (Tile & { action: string })[] = [
  { title: 'API Reference', text: 'Requests, responses and errors of every endpoint.', href: 'https://docs.flipt.io/v1/reference/overview', action: 'Open Reference' },
  { title: 'Ask the Community', text: 'Questions about flags and the Flipt v1 API, answered by other users.', href: 'https://github.com/flipt-io/flipt/discussions', action: 'Open Discussions' },
  { title: 'Chat in Discord', text: 'Talk to people running Flipt-compatible servers.', href: 'https://flipt.io/discord', action: 'Join Discord Server' },
];
