// Support (dashboard.md §2.11): reachable from the sidebar, leads back to onboarding, and every
// outside link opens in a new tab without sending the dashboard's address along.
export default async function support({ page, origin, assert, heading, path, step, axeScan }) {
  await step('support page: sidebar link, onboarding card, external links', async () => {
    await page.goto(`${origin}/namespaces/default/flags`);
    await heading('Flags');
    await page.getByRole('navigation', { name: 'Secondary' }).getByRole('link', { name: 'Support' }).click();
    await heading('Support');
    assert(path() === '/support', path());
    const cards = page.getByRole('list', { name: 'Support options' }).getByRole('link');
    assert((await cards.count()) === 4, `cards: ${await cards.count()}`);
    for (const link of [...(await cards.all()).slice(1), page.getByRole('link', { name: /Documentation/ })]) {
      assert((await link.getAttribute('target')) === '_blank', 'opens in a new tab');
      assert(/noopener/.test((await link.getAttribute('rel')) ?? '') && /noreferrer/.test((await link.getAttribute('rel')) ?? ''), 'rel');
      assert(/^https:\/\//.test((await link.getAttribute('href')) ?? ''), 'absolute https link');
    }
    await axeScan('support');
    await cards.first().click();
    await heading('Onboarding');
    assert(path() === '/onboarding', path());
  });
}
