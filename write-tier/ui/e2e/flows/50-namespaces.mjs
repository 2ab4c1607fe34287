// Settings → Namespaces (dashboard.md §2.10.2, E2E-70): counts, create/edit, search from 10
// namespaces, sortable columns, pagination above 20 rows, UTC dates, protected and non-empty
// namespaces, the current-namespace fallback; "Copy namespace" (flipt-io/flipt#2780) and the
// copy-flag preview (§2.5.8, E2E-29). Everything lives in namespaces prefixed `ns50-`, removed
// at the end.

const SRC = 'ns50-src';
const TARGET = 'ns50-target';
const COPY = 'ns50-src-copy';

export default async function namespaces({ page, origin, api, toast, scoped, lbl, assert, eventually, step, axeScan }) {
  const ok = async (method, path, body) => {
    const r = await api(method, path, body);
    assert(r.status === 200, `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const P = (ns) => `/api/v1/namespaces/${ns}`;
  const allNamespaces = async () => (await ok('GET', '/api/v1/namespaces?limit=1000')).namespaces.map((n) => n.key);
  const row = (key) => page.locator('tbody tr').filter({ has: page.getByRole('cell', { name: key, exact: true }) });
  const shownKeys = () => page.locator('tbody tr td.mono').allTextContents();
  const openSettings = async (query = '') => {
    await page.goto(`${origin}/settings/namespaces${query}`);
    await page.getByRole('heading', { name: 'Namespaces', level: 2 }).waitFor();
    await page.locator('tbody tr td.mono').first().waitFor();
  };
  const countsOf = async (key) => {
    const r = row(key);
    return [await r.getByTestId('ns-flag-count').textContent(), await r.getByTestId('ns-segment-count').textContent()];
  };
  const temporary = [];
  const createTemporary = async (n) => {
    for (let i = 0; i < n; i++) {
      const key = `ns50-t${String(temporary.length + 1).padStart(2, '0')}`;
      await ok('POST', '/api/v1/namespaces', { key, name: `Temporary ${temporary.length + 1}` });
      temporary.push(key);
    }
  };

  await step('E2E-70 namespaces: seed a source namespace with flags, rules, rollouts and segments', async () => {
    await ok('POST', '/api/v1/namespaces', { key: SRC, name: 'NS50 Source', description: 'copy source' });
    await ok('POST', '/api/v1/namespaces', { key: TARGET, name: 'NS50 Target' });
    for (const [ns, key, prop, value] of [
      [SRC, 'beta', 'plan', 'pro'],
      [SRC, 'vip', 'tier', 'gold'],
      [TARGET, 'vip', 'country', 'de'],
    ]) {
      await ok('POST', `${P(ns)}/segments`, { key, name: `${key} users`, matchType: 'ALL_MATCH_TYPE' });
      await ok('POST', `${P(ns)}/segments/${key}/constraints`, { type: 'STRING_COMPARISON_TYPE', property: prop, operator: 'eq', value });
    }
    await ok('POST', `${P(SRC)}/flags`, { key: 'checkout', name: 'Checkout', type: 'VARIANT_FLAG_TYPE', enabled: true, metadata: { team: 'web' } });
    const a = await ok('POST', `${P(SRC)}/flags/checkout/variants`, { key: 'a', name: 'A' });
    const b = await ok('POST', `${P(SRC)}/flags/checkout/variants`, { key: 'b', name: 'B', attachment: '{"color":"blue"}' });
    await ok('PUT', `${P(SRC)}/flags/checkout`, { name: 'Checkout', enabled: true, defaultVariantId: b.id, metadata: { team: 'web' } });
    const rule = await ok('POST', `${P(SRC)}/flags/checkout/rules`, { segmentKey: 'beta', rank: 1 });
    await ok('POST', `${P(SRC)}/flags/checkout/rules/${rule.id}/distributions`, { variantId: a.id, rollout: 40 });
    await ok('POST', `${P(SRC)}/flags/checkout/rules/${rule.id}/distributions`, { variantId: b.id, rollout: 60 });
    const vip = await ok('POST', `${P(SRC)}/flags/checkout/rules`, { segmentKey: 'vip', rank: 2 });
    await ok('POST', `${P(SRC)}/flags/checkout/rules/${vip.id}/distributions`, { variantId: b.id, rollout: 100 });
    await ok('POST', `${P(SRC)}/flags`, { key: 'dark-mode', name: 'Dark Mode', type: 'BOOLEAN_FLAG_TYPE', enabled: false });
    await ok('POST', `${P(SRC)}/flags/dark-mode/rollouts`, { rank: 1, segment: { segmentKey: 'vip', value: true } });
    await ok('POST', `${P(SRC)}/flags/dark-mode/rollouts`, { rank: 2, threshold: { percentage: 30, value: true } });
    await ok('POST', `${P(TARGET)}/flags`, { key: 'checkout', name: 'Target checkout', type: 'VARIANT_FLAG_TYPE' });
  });

  await step('E2E-70 namespaces: flag and segment counts; create, edit (key disabled)', async () => {
    await openSettings();
    await eventually(async () => (await countsOf(SRC)).join() === '2,2', 'counts of the source');
    await eventually(async () => (await countsOf(TARGET)).join() === '1,1', 'counts of the target');
    await page.getByRole('button', { name: 'New Namespace' }).click();
    await lbl('Name').fill('NS50 Other');
    await lbl('Key').fill('ns50-other');
    await scoped().getByRole('button', { name: 'Create' }).click();
    await toast('Successfully created namespace.');
    await eventually(async () => (await countsOf('ns50-other')).join() === '0,0', 'counts of a new namespace');
    await page.getByRole('button', { name: 'NS50 Other, edit' }).click();
    assert(await lbl('Key').isDisabled(), 'key disabled when editing');
    await lbl('Name').fill('NS50 Other Renamed');
    await scoped().getByRole('button', { name: 'Update' }).click();
    await toast('Successfully updated namespace.');
    await page.getByRole('button', { name: 'NS50 Other Renamed, edit' }).waitFor();
    assert((await ok('GET', P('ns50-other'))).name === 'NS50 Other Renamed', 'renamed');
  });

  await step('E2E-70 namespaces: search from 10 namespaces, sortable columns, pagination above 20 rows', async () => {
    const search = page.getByRole('searchbox', { name: 'Search namespaces' });
    const start = (await allNamespaces()).length;
    if (start < 9) await createTemporary(9 - start);
    if ((await allNamespaces()).length === 9) {
      await openSettings();
      assert((await search.count()) === 0, 'no search box below 10 namespaces');
    }
    if ((await allNamespaces()).length < 10) await createTemporary(1);
    await openSettings();
    await search.waitFor();
    await search.fill(SRC);
    await page.waitForURL(`**/settings/namespaces?q=${SRC}`);
    await eventually(async () => (await shownKeys()).join() === SRC, 'search narrows the table');
    await search.fill('');
    await eventually(async () => (await shownKeys()).length > 1, 'search cleared');

    // Sortable headers: the arrow and aria-sort show the direction; the URL keeps it.
    const keyHeader = page.getByRole('columnheader', { name: 'Key' });
    const sorted = (keys, dir) =>
      page.evaluate(
        ([ks, d]) => ks.every((k, i) => i === 0 || (d === 'asc' ? 1 : -1) * ks[i - 1].localeCompare(k, undefined, { numeric: true }) <= 0),
        [keys, dir],
      );
    await keyHeader.getByRole('button').click();
    await page.waitForURL('**/settings/namespaces?sort=key');
    assert((await keyHeader.getAttribute('aria-sort')) === 'ascending', 'ascending');
    assert((await keyHeader.textContent()).includes('▲'), 'up arrow');
    assert(await sorted(await shownKeys(), 'asc'), `ascending keys: ${await shownKeys()}`);
    await keyHeader.getByRole('button').click();
    await page.waitForURL('**/settings/namespaces?sort=key&dir=desc');
    assert((await keyHeader.getAttribute('aria-sort')) === 'descending', 'descending');
    assert((await keyHeader.textContent()).includes('▼'), 'down arrow');
    assert(await sorted(await shownKeys(), 'desc'), `descending keys: ${await shownKeys()}`);
    const flagsHeader = page.getByRole('columnheader', { name: 'Flags' });
    await flagsHeader.getByRole('button').click();
    await flagsHeader.getByRole('button').click();
    assert((await flagsHeader.getAttribute('aria-sort')) === 'descending', 'flags descending');
    await eventually(async () => {
      const counts = (await page.getByTestId('ns-flag-count').allTextContents()).map(Number);
      return counts.every((n) => !Number.isNaN(n)) && counts.every((n, i) => i === 0 || counts[i - 1] >= n);
    }, 'rows by flag count, most first');
    assert((await keyHeader.getAttribute('aria-sort')) === 'none', 'one sorted column at a time');

    // Above 20 rows: pagination with page numbers and a page-size selector.
    const nav = page.getByRole('navigation', { name: 'Namespaces pagination' });
    const now = (await allNamespaces()).length;
    if (now <= 20) {
      await openSettings();
      assert((await nav.count()) === 0, `no pagination with ${now} namespaces`);
      await createTemporary(21 - now);
    }
    const total = (await allNamespaces()).length;
    await openSettings('?sort=key');
    await nav.waitFor();
    assert((await shownKeys()).length === 20, 'first page of 20');
    await nav.getByRole('button', { name: 'Page 2', exact: true }).click();
    await page.waitForURL('**/settings/namespaces?sort=key&page=2');
    assert((await nav.getByRole('button', { name: 'Page 2', exact: true }).getAttribute('aria-current')) === 'page', 'current page marked');
    await eventually(async () => (await shownKeys()).length === Math.min(20, total - 20), 'second page');
    await nav.getByLabel('Show').selectOption('50');
    await eventually(async () => (await shownKeys()).length === Math.min(50, total), 'page size 50');
    assert((await nav.getByRole('button', { name: 'Page 2', exact: true }).count()) === (total > 50 ? 1 : 0), 'page numbers follow the size');
    for (const key of temporary.splice(0)) await ok('DELETE', P(key));
  });

  await step('E2E-70 namespaces: dates follow the UTC preference', async () => {
    await page.goto(`${origin}/settings`);
    const utc = page.getByRole('switch', { name: 'UTC Timezone' });
    await utc.check();
    await openSettings();
    const created = row(SRC).locator('time').first();
    assert((await created.textContent()).endsWith(' UTC'), `UTC: ${await created.textContent()}`);
    const iso = await created.getAttribute('datetime');
    assert(iso === (await ok('GET', P(SRC))).createdAt, 'datetime attribute is the stored time');
    await page.goto(`${origin}/settings`);
    await utc.uncheck();
    await openSettings();
    assert(!(await row(SRC).locator('time').first().textContent()).endsWith('UTC'), 'local time again');
  });

  await step('[new] copy namespace: a dialog, then every flag and segment copied; the copy evaluates like the source', async () => {
    await openSettings();
    await page.getByRole('button', { name: `Copy, ${SRC}`, exact: true }).click();
    const dlg = page.getByRole('dialog', { name: 'Copy Namespace' });
    assert((await dlg.getByLabel('Key').inputValue()) === COPY, 'a free key is suggested');
    await dlg.getByLabel('Key').fill(TARGET);
    await dlg.getByText('A namespace with this key already exists').waitFor();
    assert(await dlg.getByRole('button', { name: 'Copy' }).isDisabled(), 'a taken key blocks the copy');
    await dlg.getByLabel('Key').fill(COPY);
    await dlg.getByLabel('Name').fill('NS50 Copy');
    await dlg.getByRole('button', { name: 'Copy' }).click();
    await toast('Successfully copied namespace');
    await dlg.waitFor({ state: 'hidden' });
    await eventually(async () => (await row(COPY).count()) === 1 && (await countsOf(COPY)).join() === '2,2', 'the copy is listed with its counts');

    const copy = await ok('GET', P(COPY));
    assert(copy.name === 'NS50 Copy' && copy.description === 'copy source', JSON.stringify(copy));
    const strip = (v) => JSON.parse(JSON.stringify(v, (k, x) => (['id', 'namespaceKey', 'createdAt', 'updatedAt', 'variantId', 'ruleId'].includes(k) ? undefined : x)));
    for (const flag of ['checkout', 'dark-mode']) {
      const [s, c] = [await ok('GET', `${P(SRC)}/flags/${flag}`), await ok('GET', `${P(COPY)}/flags/${flag}`)];
      assert(JSON.stringify(strip(s)) === JSON.stringify(strip(c)), `${flag}: ${JSON.stringify(c)}`);
      for (const what of ['rules', 'rollouts']) {
        const [sr, cr] = [await ok('GET', `${P(SRC)}/flags/${flag}/${what}`), await ok('GET', `${P(COPY)}/flags/${flag}/${what}`)];
        assert(JSON.stringify(strip(sr)) === JSON.stringify(strip(cr)), `${flag} ${what}: ${JSON.stringify(cr)}`);
      }
    }
    const checkout = await ok('GET', `${P(COPY)}/flags/checkout`);
    const ids = new Set(checkout.variants.map((v) => v.id));
    assert(checkout.defaultVariant?.key === 'b' && ids.has(checkout.defaultVariant.id), 'default variant re-mapped');
    const rules = (await ok('GET', `${P(COPY)}/flags/checkout/rules`)).rules;
    assert(rules.every((r) => r.distributions.every((d) => ids.has(d.variantId))), 'distributions re-mapped to the new variants');
    const segs = await ok('GET', `${P(COPY)}/segments`);
    assert(JSON.stringify(strip(segs.segments)) === JSON.stringify(strip((await ok('GET', `${P(SRC)}/segments`)).segments)), 'segments with constraints');

    // The write tier evaluates the copy exactly like its source.
    const requests = (ns) =>
      Array.from({ length: 30 }, (_, i) => [
        { namespaceKey: ns, flagKey: 'checkout', entityId: `user-${i}`, context: { plan: i % 2 ? 'pro' : 'free', tier: i % 3 ? 'gold' : 'none' } },
        { namespaceKey: ns, flagKey: 'dark-mode', entityId: `user-${i}`, context: { tier: i % 3 ? 'gold' : 'none' } },
      ]).flat();
    const evaluate = async (ns) => {
      const r = await ok('POST', '/evaluate/v1/batch', { requests: requests(ns) });
      return JSON.stringify(r.responses, (k, x) => (['requestId', 'requestDurationMillis', 'timestamp'].includes(k) ? undefined : x));
    };
    const [fromSource, fromCopy] = [await evaluate(SRC), await evaluate(COPY)];
    assert(fromSource === fromCopy, `evaluations differ:\n${fromSource}\n${fromCopy}`);
    assert(fromCopy.includes('"variantKey":"a"') && fromCopy.includes('"variantKey":"b"'), 'both variants are served');
  });

  await step('E2E-29 [new] copy flag preview: reused and created segments; a taken key blocks the copy', async () => {
    await page.goto(`${origin}/namespaces/${SRC}/flags/checkout`);
    await page.locator('summary', { hasText: 'Actions' }).click();
    await page.getByRole('button', { name: 'Copy to Namespace' }).click();
    const dlg = page.getByRole('dialog', { name: 'Copy Flag' });
    await dlg.getByLabel('Target namespace').selectOption(TARGET);
    await dlg.getByRole('alert').filter({ hasText: `The namespace ${TARGET} already has a flag with the key checkout` }).waitFor();
    assert(await dlg.getByRole('button', { name: 'Copy' }).isDisabled(), 'a taken key blocks the copy');
    await dlg.getByLabel('New key').fill('checkout-2');
    const reused = dlg.getByTestId('copy-preview-reused');
    const created = dlg.getByTestId('copy-preview-created');
    await reused.filter({ hasText: 'vip' }).waitFor();
    assert(!(await reused.textContent()).includes('beta'), await reused.textContent());
    assert((await created.textContent()).includes('beta') && !(await created.textContent()).includes('vip'), await created.textContent());
    assert(await dlg.getByRole('button', { name: 'Copy' }).isEnabled(), 'a free key can be copied');
    await dlg.getByRole('button', { name: 'Copy' }).click();
    await toast('Successfully copied flag');
    await page.waitForURL(`**/namespaces/${TARGET}/flags/checkout-2`);
    const beta = await ok('GET', `${P(TARGET)}/segments/beta`);
    assert(beta.constraints.length === 1 && beta.constraints[0].property === 'plan', 'missing segment created');
    const vip = await ok('GET', `${P(TARGET)}/segments/vip`);
    assert(vip.constraints.length === 1 && vip.constraints[0].property === 'country', 'existing segment reused as it is');
    // Within the same namespace every segment is reused.
    await page.goto(`${origin}/namespaces/${SRC}/flags/checkout`);
    await page.locator('summary', { hasText: 'Actions' }).click();
    await page.getByRole('button', { name: 'Copy to Namespace' }).click();
    await dlg.getByLabel('Target namespace').selectOption(SRC);
    await dlg.getByLabel('New key').fill('checkout-dup');
    await reused.filter({ hasText: 'beta' }).filter({ hasText: 'vip' }).waitFor();
    assert((await created.count()) === 0, 'nothing created');
    await dlg.getByRole('button', { name: 'Cancel' }).click();
    await dlg.waitFor({ state: 'hidden' });
  });

  await step('E2E-70 namespaces: default cannot be deleted; a namespace with flags is refused with the server message', async () => {
    await openSettings();
    assert((await page.getByRole('button', { name: 'Delete, default' }).count()) === 0, 'no delete button for default');
    const greyed = row('default').getByTitle('The default namespace cannot be deleted');
    assert((await greyed.textContent()).startsWith('Delete'), 'greyed Delete with a tooltip');
    await page.getByRole('button', { name: `Delete, ${SRC}`, exact: true }).click();
    const dlg = page.getByRole('dialog', { name: 'Delete Namespace' });
    await dlg.getByText('delete its flags first', { exact: false }).waitFor();
    await dlg.getByText('2 flags', { exact: true }).waitFor();
    await dlg.getByLabel(/to confirm/).fill(SRC);
    await dlg.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('alert').filter({ hasText: `namespace "${SRC}" cannot be deleted; flags must be deleted first` }).waitFor();
    assert((await api('GET', P(SRC))).status === 200, 'still there');
    await page.getByRole('alert').getByRole('button', { name: 'Dismiss' }).click();
  });

  await step('E2E-70 namespaces: deleting the current namespace falls back to default', async () => {
    await page.goto(`${origin}/namespaces/ns50-other/flags`);
    await page.getByRole('heading', { name: 'Flags', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('link', { name: 'Namespaces' }).click();
    await page.getByRole('button', { name: 'Delete, ns50-other' }).click();
    const dlg = page.getByRole('dialog', { name: 'Delete Namespace' });
    await dlg.getByLabel(/to confirm/).fill('ns50-other');
    await dlg.getByRole('button', { name: 'Delete' }).click();
    await toast('Successfully deleted namespace.');
    await page.getByRole('button', { name: 'Delete, ns50-other' }).waitFor({ state: 'detached' });
    await page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Flags' }).click();
    await page.waitForURL('**/namespaces/default/flags');
  });

  await step('namespaces settings: accessibility in light and dark theme', async () => {
    await openSettings('?sort=flags&dir=desc');
    await eventually(async () => (await countsOf(SRC)).join() === '2,2', 'counts loaded');
    await axeScan('settings/namespaces with counts and sorting');
  });

  await step('namespaces: clean up', async () => {
    for (const key of temporary.splice(0)) await api('DELETE', P(key));
    for (const ns of [SRC, TARGET, COPY, 'ns50-other']) {
      if ((await api('GET', P(ns))).status !== 200) continue;
      const r = await api('GET', `${P(ns)}/flags?limit=1000`);
      for (const f of r.body.flags) await ok('DELETE', `${P(ns)}/flags/${f.key}`);
      await ok('DELETE', P(ns));
    }
    assert(!(await allNamespaces()).some((k) => k.startsWith('ns50-')), 'nothing left behind');
  });
}
