// Coverage fill-in for dashboard.md §5.2: the parts of the flows that no other step checks.
// E2E-01 (sidebar), E2E-03, E2E-04, E2E-06 (segments), E2E-20, E2E-21, E2E-22, E2E-23, E2E-25,
// E2E-27, E2E-28, E2E-29 (duplicate), E2E-30, E2E-36, E2E-40, E2E-41, E2E-42, E2E-45 (delete after
// the rule is gone), E2E-90, E2E-91, E2E-92, E2E-93 and accessibility scans of the create pages.
// Data lives in the namespaces "cov-ns", "cov-other" and "cov-list", created and deleted here.

const NS = 'cov-ns';
const P = `/api/v1/namespaces/${NS}`;
const LIST = 'cov-list';
const LP = `/api/v1/namespaces/${LIST}`;

// Operator labels per type, in order (dashboard.md §2.8.1).
const OPERATORS = {
  String: ['==', '!=', 'IS EMPTY', 'IS NOT EMPTY', 'HAS PREFIX', 'HAS SUFFIX', 'IS ONE OF', 'IS NOT ONE OF', 'CONTAINS', 'DOES NOT CONTAIN'],
  Number: ['==', '!=', '>', '>=', '<', '<=', 'IS PRESENT', 'IS NOT PRESENT', 'IS ONE OF', 'IS NOT ONE OF'],
  Boolean: ['TRUE', 'FALSE', 'IS PRESENT', 'IS NOT PRESENT'],
  DateTime: ['==', '!=', 'IS AFTER', 'IS AFTER OR AT', 'IS BEFORE', 'IS BEFORE OR AT', 'IS PRESENT', 'IS NOT PRESENT'],
  Entity: ['==', '!=', 'IS ONE OF', 'IS NOT ONE OF', 'CONTAINS', 'DOES NOT CONTAIN'],
};
const NO_VALUE = new Set(['TRUE', 'FALSE', 'IS EMPTY', 'IS NOT EMPTY', 'IS PRESENT', 'IS NOT PRESENT']);

export default async function coverage(ctx) {
  const { page, origin, api, toast, scoped, lbl, heading, path, axeScan, assert, eventually, step } = ctx;
  const ok = async (method, p, body) => {
    const r = await api(method, p, body);
    assert(r.status === 200, `${method} ${p}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const dismissToasts = async () => {
    for (const b of await page.getByRole('status').getByRole('button', { name: 'Dismiss' }).all()) await b.click().catch(() => {});
  };
  // Clicks and waits for a success toast; an older toast is dismissed first so it cannot count.
  const save = async (button, text) => {
    await dismissToasts();
    await button.click();
    await toast(text);
  };
  const active = () => page.evaluate(() => document.activeElement?.id ?? '');
  const isActive = (locator) => locator.evaluate((e) => e === document.activeElement);
  // Runs `action`, answers the browser dialog it raises (confirm or beforeunload) and returns it.
  const answerDialog = async (accept, action) => {
    let seen = null;
    const handler = async (d) => {
      seen = { type: d.type(), message: d.message() };
      if (accept) await d.accept();
      else await d.dismiss();
    };
    page.on('dialog', handler);
    try {
      await action();
      await eventually(async () => seen, 'a browser dialog', 3000);
    } finally {
      page.off('dialog', handler);
    }
    return seen;
  };
  // Runs `action` and fails if it raises a browser dialog.
  const noDialog = async (action) => {
    let seen = null;
    const handler = async (d) => {
      seen = d.type();
      await d.accept();
    };
    page.on('dialog', handler);
    try {
      await action();
      await page.waitForTimeout(300);
    } finally {
      page.off('dialog', handler);
    }
    assert(seen === null, `unexpected ${seen} dialog`);
  };
  const rowKeys = () => page.getByRole('list', { name: 'Flags' }).locator('.key-badge').allTextContents();
  const actions = async (item) => {
    await page.locator('summary', { hasText: 'Actions' }).click();
    await page.getByRole('button', { name: item, exact: true }).click();
  };

  await step('coverage: seed namespaces "cov-ns", "cov-other" and "cov-list"', async () => {
    for (const key of [NS, 'cov-other', LIST]) {
      if ((await api('GET', `/api/v1/namespaces/${key}`)).status === 200) await cleanup(api, key);
      await ok('POST', '/api/v1/namespaces', { key, name: `Coverage ${key}` });
    }
    await ok('POST', `${P}/flags`, { key: 'deep', name: 'Deep Flag', type: 'VARIANT_FLAG_TYPE', description: 'deep link target' });
    await ok('POST', `${P}/segments`, { key: 'cov-seg', name: 'Cov Seg', matchType: 'ALL_MATCH_TYPE' });
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  });

  await step('E2E-01 title and sidebar items', async () => {
    await page.goto(`${origin}/namespaces/${NS}/flags`);
    await heading('Flags');
    assert((await page.title()) === `Flipt · ${NS}`, await page.title());
    const primary = page.getByRole('navigation', { name: 'Primary' }).getByRole('link');
    assert((await primary.allTextContents()).join() === 'Flags,Segments,Console', (await primary.allTextContents()).join());
    await page.getByRole('navigation', { name: 'Secondary' }).getByRole('link', { name: 'Settings' }).waitFor();
    assert((await page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Flags' }).getAttribute('aria-current')) === 'page', 'active item');
  });

  await step('E2E-03 a deep link into a flag of another namespace selects it in the switcher', async () => {
    await page.evaluate(() => localStorage.setItem('flipt.namespace', 'default'));
    await page.goto(`${origin}/namespaces/${NS}/flags/deep`);
    await heading('Deep Flag');
    assert((await lbl('Namespace').inputValue()) === NS, await lbl('Namespace').inputValue());
    await page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Segments' }).click();
    await page.waitForURL(`**/namespaces/${NS}/segments`);
    assert((await page.evaluate(() => localStorage.getItem('flipt.namespace'))) === NS, 'remembered');
  });

  await step('E2E-04 switcher disabled on detail, new and settings pages; switching keeps the page type', async () => {
    for (const p of [`/namespaces/${NS}/flags/deep`, `/namespaces/${NS}/segments/cov-seg`, `/namespaces/${NS}/segments/new`, '/settings', '/settings/namespaces']) {
      await page.goto(`${origin}${p}`);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      assert(await lbl('Namespace').isDisabled(), `switcher disabled on ${p}`);
    }
    for (const [kind, title] of [['segments', 'Segments'], ['console', 'Console'], ['flags', 'Flags']]) {
      await page.goto(`${origin}/namespaces/${NS}/${kind}`);
      await heading(title);
      assert(!(await lbl('Namespace').isDisabled()), `switcher enabled on ${kind}`);
      await lbl('Namespace').selectOption('cov-other');
      await page.waitForURL(`**/namespaces/cov-other/${kind}`);
      await heading(title);
    }
  });

  await step('E2E-06 unknown segment key: not-found state inside the layout with a link back', async () => {
    await page.goto(`${origin}/namespaces/${NS}/segments/nope`);
    await page.getByText('The segment "nope" does not exist').waitFor();
    await page.getByRole('navigation', { name: 'Primary' }).waitFor();
    await page.getByRole('link', { name: 'Back to segments' }).click();
    await page.waitForURL(`**/namespaces/${NS}/segments`);
    await page.goto(`${origin}/namespaces/${NS}/flags/nope`);
    await page.getByRole('link', { name: 'Back to flags' }).click();
    await page.waitForURL(`**/namespaces/${NS}/flags`);
  });

  await step('E2E-20 new variant flag: key follows the name until edited, whitespace, invalid key', async () => {
    await page.goto(`${origin}/namespaces/${NS}/flags/new`);
    await heading('New Flag');
    assert((await active()) === 'flag-name', `focus on Name, not ${await active()}`);
    await lbl('Name').fill('My  New   Flag');
    assert((await lbl('Key').inputValue()) === 'My-New-Flag', `whitespace runs: ${await lbl('Key').inputValue()}`);
    await lbl('Name').fill('My New Flag 2');
    assert((await lbl('Key').inputValue()) === 'My-New-Flag-2', 'still follows');
    await lbl('Key').fill('hand made key');
    assert((await lbl('Key').inputValue()) === 'hand-made-key', 'typed whitespace becomes hyphens');
    await lbl('Name').fill('Coverage Variant');
    assert((await lbl('Key').inputValue()) === 'hand-made-key', 'stops following once edited');
    await lbl('Key').fill('bad!key');
    await lbl('Name').focus();
    await page.getByText('Only letters, numbers, hyphens and underscores allowed', { exact: true }).waitFor();
    assert((await lbl('Key').getAttribute('aria-invalid')) === 'true', 'key marked invalid');
    const create = page.getByRole('button', { name: 'Create', exact: true });
    assert(await create.isDisabled(), 'invalid key blocks Create');
    await lbl('Key').fill('');
    await page.getByText('Required', { exact: true }).waitFor();
    await lbl('Key').fill('cov-variant');
    await save(create, 'Successfully created flag');
    await page.waitForURL(`**/namespaces/${NS}/flags/cov-variant`);
    await heading('Coverage Variant');
    await page.getByRole('heading', { name: 'Variants', level: 2 }).waitFor();
    const f = await ok('GET', `${P}/flags/cov-variant`);
    assert(f.type === 'VARIANT_FLAG_TYPE' && f.name === 'Coverage Variant' && f.enabled === false, JSON.stringify(f));
  });

  await step('E2E-21 new boolean flag: Default Value switch, Rollouts is the default tab, no Rules tab', async () => {
    await page.goto(`${origin}/namespaces/${NS}/flags/new`);
    await heading('New Flag');
    await page.getByRole('switch', { name: 'Enabled' }).check();
    await page.getByRole('radio', { name: 'Boolean' }).check();
    const sw = page.getByRole('switch', { name: 'Default Value' });
    assert(!(await sw.isChecked()), 'switching type resets the toggle');
    await sw.check();
    await lbl('Name').fill('Cov Bool');
    await save(page.getByRole('button', { name: 'Create', exact: true }), 'Successfully created flag');
    await page.waitForURL(`**/namespaces/${NS}/flags/Cov-Bool`);
    await page.getByRole('heading', { name: 'Rollouts', level: 2 }).waitFor();
    const tabs = page.getByRole('navigation', { name: 'Flag sections' }).getByRole('link');
    assert((await tabs.allTextContents()).join() === 'Rollouts,Analytics', (await tabs.allTextContents()).join());
    assert(await page.getByRole('switch', { name: 'Default Value' }).isChecked(), 'default value shown');
    const f = await ok('GET', `${P}/flags/Cov-Bool`);
    assert(f.type === 'BOOLEAN_FLAG_TYPE' && f.enabled === true, JSON.stringify(f));
  });

  await step('E2E-22 flags list: search by key/name/description, sort by name and updated both ways, page size', async () => {
    // 23 flags: list-00 .. list-22; names run the other way; every 4th pair is boolean.
    for (let i = 0; i < 23; i++) {
      const k = `list-${String(i).padStart(2, '0')}`;
      await ok('POST', `${LP}/flags`, {
        key: k,
        name: `Name ${String(22 - i).padStart(2, '0')}`,
        type: i % 4 >= 2 ? 'BOOLEAN_FLAG_TYPE' : 'VARIANT_FLAG_TYPE',
        enabled: i % 2 === 0,
        description: i === 5 ? 'has a needle inside' : '',
      });
    }
    await page.waitForTimeout(1100); // updatedAt may have one-second resolution
    await ok('PUT', `${LP}/flags/list-10`, { name: 'Name 12', description: 'touched', enabled: true });

    await page.goto(`${origin}/namespaces/${LIST}/flags`);
    await heading('Flags');
    await eventually(async () => (await rowKeys()).length === 20, '20 rows on page 1');
    await page.getByText('Page 1 of 2').waitFor();
    await page.getByRole('button', { name: 'Go to next page' }).click();
    await eventually(async () => (await rowKeys()).length === 3, '3 rows on page 2');
    await page.getByLabel('Rows per page').selectOption('50');
    await page.waitForURL(/limit=50/);
    await eventually(async () => (await rowKeys()).length === 23, 'all rows with 50 per page');
    assert(!path().includes('page=2'), `page size resets the page: ${path()}`);

    const search = lbl('Search');
    for (const [q, want] of [['list-07', 'list-07'], ['name 03', 'list-19'], ['NEEDLE', 'list-05']]) {
      await search.fill(q);
      await page.waitForURL((u) => u.searchParams.get('q') === q);
      await eventually(async () => (await rowKeys()).join() === want, `search ${q}`);
    }
    await search.fill('no-such-flag');
    await page.getByText('No flags matched your search.', { exact: true }).waitFor();
    await search.fill('');
    await page.waitForURL((u) => !u.searchParams.has('q'));

    const dirButton = page.getByRole('button', { name: /Ascending|Descending/ });
    await page.locator('#list-sort').selectOption('name');
    await eventually(async () => (await rowKeys())[0] === 'list-22', 'name ascending');
    await dirButton.click();
    await page.waitForURL(/dir=desc/);
    await eventually(async () => (await rowKeys())[0] === 'list-00', 'name descending');
    // Sort and page size survive a reload.
    await page.reload();
    await eventually(async () => (await rowKeys())[0] === 'list-00' && (await rowKeys()).length === 23, 'sort kept after reload');
    assert((await page.locator('#list-sort').inputValue()) === 'name', 'sort select restored');

    await page.locator('#list-sort').selectOption('updatedAt');
    await page.waitForURL(/sort=updatedAt/);
    await eventually(async () => (await rowKeys())[0] === 'list-10', 'updated descending: the touched flag first');
    await dirButton.click();
    await page.waitForURL((u) => !u.searchParams.has('dir'));
    await eventually(async () => (await rowKeys()).at(-1) === 'list-10', 'updated ascending: the touched flag last');
  });

  await step('E2E-23 type and status badges', async () => {
    const badges = async (key) =>
      page
        .getByRole('list', { name: 'Flags' })
        .getByRole('listitem')
        .filter({ has: page.locator('.key-badge', { hasText: new RegExp(`^${key}$`) }) })
        .locator('.row-meta .badge')
        .allTextContents();
    await page.goto(`${origin}/namespaces/${LIST}/flags?limit=50`);
    await heading('Flags');
    for (const [key, want] of [['list-00', 'Enabled,Variant'], ['list-01', 'Disabled,Variant'], ['list-02', 'True,Boolean'], ['list-03', 'False,Boolean']]) {
      await eventually(async () => (await badges(key)).join() === want, `${key} badges ${want} (${(await badges(key)).join()})`);
    }
  });

  await step('E2E-25 edit name and description; the key copy button copies; Cancel goes back', async () => {
    await page.goto(`${origin}/namespaces/${NS}/flags`);
    await page.getByRole('link', { name: /Deep Flag/ }).click();
    await heading('Deep Flag');
    assert(await lbl('Key').isDisabled(), 'key disabled when editing');
    const copy = page.getByRole('button', { name: 'Copy to clipboard' });
    await dismissToasts();
    await copy.click();
    await toast('Copied to clipboard');
    assert((await page.evaluate(() => navigator.clipboard.readText())) === 'deep', 'clipboard holds the key');
    await copy.getByText('✓').waitFor();
    await copy.getByText('✓').waitFor({ state: 'detached', timeout: 4000 });
    // Cancel on a clean form goes back in history.
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await page.waitForURL(`**/namespaces/${NS}/flags`);
    await page.goForward();
    await heading('Deep Flag');
    await lbl('Name').fill('Deep Flag Renamed');
    await lbl('Description').fill('edited in the browser');
    await save(page.getByRole('button', { name: 'Update', exact: true }), 'Successfully updated flag');
    const f = await ok('GET', `${P}/flags/deep`);
    assert(f.name === 'Deep Flag Renamed' && f.description === 'edited in the browser', JSON.stringify(f));
    await heading('Deep Flag Renamed');
  });

  await step('E2E-90 unsaved changes: leaving a dirty page or closing a dirty panel asks first', async () => {
    await page.goto(`${origin}/namespaces/${NS}/flags/deep`);
    await heading('Deep Flag Renamed');
    await lbl('Description').fill('not saved yet');
    await page.getByText('Unsaved changes').waitFor();
    const segmentsLink = page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Segments' });
    const asked = await answerDialog(false, () => segmentsLink.click());
    assert(asked.type === 'confirm' && /unsaved changes/i.test(asked.message), JSON.stringify(asked));
    assert(path() === `/namespaces/${NS}/flags/deep`, `stayed: ${path()}`);
    assert((await lbl('Description').inputValue()) === 'not saved yet', 'edit kept');
    // The browser asks before a reload too.
    const reload = await answerDialog(false, () => page.reload({ timeout: 3000 }).catch(() => {}));
    assert(reload.type === 'beforeunload', JSON.stringify(reload));
    assert((await lbl('Description').inputValue()) === 'not saved yet', 'edit kept after refusing the reload');
    // A tab change is a new page too; accepting leaves.
    await answerDialog(true, () => page.getByRole('navigation', { name: 'Flag sections' }).getByRole('link', { name: 'Rules' }).click());
    await page.waitForURL(`**/namespaces/${NS}/flags/deep/rules`);
    assert((await ok('GET', `${P}/flags/deep`)).description === 'edited in the browser', 'nothing saved');

    // New Flag: Cancel with a name typed asks; accepting goes back.
    await page.goto(`${origin}/namespaces/${NS}/flags`);
    await page.getByRole('link', { name: 'New Flag', exact: true }).click();
    await heading('New Flag');
    await noDialog(() => page.getByRole('button', { name: 'Cancel', exact: true }).click());
    await page.waitForURL(`**/namespaces/${NS}/flags`);
    await page.getByRole('link', { name: 'New Flag', exact: true }).click();
    await lbl('Name').fill('Half typed');
    await answerDialog(true, () => page.getByRole('button', { name: 'Cancel', exact: true }).click());
    await page.waitForURL(`**/namespaces/${NS}/flags`);

    // Segment form: the shortcut-free way out (browser back) asks as well.
    await page.goto(`${origin}/namespaces/${NS}/segments`);
    await page.goto(`${origin}/namespaces/${NS}/segments/cov-seg`);
    await heading('Cov Seg');
    await lbl('Description').fill('dirty');
    await answerDialog(false, () => page.goBack({ timeout: 3000 }).catch(() => {}));
    await heading('Cov Seg');
    assert((await lbl('Description').inputValue()) === 'dirty', 'kept after refusing back');
    await lbl('Description').fill('');

    // Panels: a clean panel closes at once; a dirty one asks on Escape, Close and Cancel.
    await page.getByRole('button', { name: 'New Constraint' }).click();
    const panel = page.getByRole('dialog', { name: 'New Constraint' });
    await noDialog(() => page.keyboard.press('Escape'));
    await panel.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'New Constraint' }).click();
    await lbl('Property').fill('plan');
    await answerDialog(false, () => page.keyboard.press('Escape'));
    assert(await panel.isVisible(), 'refusing keeps the panel open');
    await answerDialog(false, () => panel.getByRole('button', { name: 'Close panel' }).click());
    assert((await lbl('Property').inputValue()) === 'plan', 'input kept');
    await answerDialog(true, () => panel.getByRole('button', { name: 'Cancel' }).click());
    await panel.waitFor({ state: 'hidden' });
    assert((await ok('GET', `${P}/segments/cov-seg`)).constraints.length === 0, 'nothing created');
  });

  await step('E2E-27 variants: key with a dot, invalid key message', async () => {
    await page.goto(`${origin}/namespaces/${NS}/flags/cov-variant`);
    await heading('Coverage Variant');
    await page.locator('.empty-button', { hasText: 'New Variant' }).click();
    await lbl('Key').fill('bad key!');
    assert((await lbl('Key').inputValue()) === 'bad-key!', 'whitespace becomes a hyphen');
    await lbl('Name').focus();
    await scoped().getByText('Only letters, numbers, hyphens, dots and underscores allowed', { exact: true }).waitFor();
    assert(await scoped().getByRole('button', { name: 'Create' }).isDisabled(), 'invalid key blocks Create');
    await lbl('Key').fill('v1.2');
    await save(scoped().getByRole('button', { name: 'Create' }), 'Successfully created variant.');
    await page.getByRole('cell', { name: 'v1.2', exact: true }).waitFor();
    const f = await ok('GET', `${P}/flags/cov-variant`);
    assert(f.variants.map((v) => v.key).join() === 'v1.2', JSON.stringify(f.variants));
  });

  await step('E2E-29 [new] duplicate a flag within its namespace under a new key', async () => {
    await actions('Duplicate');
    const dlg = page.getByRole('dialog', { name: 'Copy Flag' });
    assert((await dlg.getByLabel('Target namespace').inputValue()) === NS, 'the current namespace is preselected');
    await dlg.getByText('Required to duplicate within the same namespace.').waitFor();
    assert(await dlg.getByRole('button', { name: 'Copy' }).isDisabled(), 'needs a new key');
    await dlg.getByLabel('New key').fill('cov-variant-copy');
    await save(dlg.getByRole('button', { name: 'Copy' }), 'Successfully copied flag');
    await page.waitForURL(`**/namespaces/${NS}/flags/cov-variant-copy`);
    await heading('Coverage Variant');
    const f = await ok('GET', `${P}/flags/cov-variant-copy`);
    assert(f.variants.map((v) => v.key).join() === 'v1.2', JSON.stringify(f.variants));
    // "Copy to Namespace" still starts with another namespace.
    await actions('Copy to Namespace');
    assert((await dlg.getByLabel('Target namespace').inputValue()) !== NS, 'copy starts elsewhere');
    await page.keyboard.press('Escape');
    await dlg.waitFor({ state: 'hidden' });
  });

  await step('E2E-28 delete a flag from Actions: the dialog names the key; back on the list without it', async () => {
    await actions('Delete');
    const dlg = page.getByRole('dialog', { name: 'Delete Flag' });
    await dlg.getByText('cov-variant-copy', { exact: true }).waitFor();
    await dlg.getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL(`**/namespaces/${NS}/flags`);
    await page.getByRole('link', { name: /Deep Flag Renamed/ }).waitFor();
    assert((await page.locator('.key-badge', { hasText: /^cov-variant-copy$/ }).count()) === 0, 'row gone');
    assert((await api('GET', `${P}/flags/cov-variant-copy`)).status === 404, 'flag gone');
  });

  let ruleIds = [];
  await step('E2E-30 new rules: one segment with no variant, single variant, three-way even split', async () => {
    await ok('POST', `${P}/flags`, { key: 'cov-rules', name: 'Cov Rules', type: 'VARIANT_FLAG_TYPE', enabled: true });
    for (const key of ['a', 'b', 'c']) await ok('POST', `${P}/flags/cov-rules/variants`, { key });
    await ok('POST', `${P}/segments`, { key: 'cov-seg-2', name: 'Cov Seg 2', matchType: 'ALL_MATCH_TYPE' });
    await page.goto(`${origin}/namespaces/${NS}/flags/cov-rules/rules`);
    await page.getByRole('heading', { name: 'Rules', level: 2 }).waitFor();
    const newRule = async () => {
      await page.getByRole('button', { name: 'New Rule' }).first().click();
      return page.getByRole('dialog', { name: 'New Rule' });
    };
    let dlg = await newRule();
    await lbl('Segment').selectOption('cov-seg');
    assert(await dlg.getByRole('radio', { name: 'Default Variant / None' }).isChecked(), 'none by default');
    await save(dlg.getByRole('button', { name: 'Create' }), 'Successfully created rule');
    dlg = await newRule();
    await lbl('Segment').selectOption('cov-seg-2');
    await dlg.getByRole('radio', { name: 'Single Variant' }).check();
    assert(await dlg.getByRole('button', { name: 'Create' }).isDisabled(), 'single needs a variant');
    await dlg.getByLabel('Variant', { exact: true }).selectOption({ label: 'b' });
    await save(dlg.getByRole('button', { name: 'Create' }), 'Successfully created rule');
    dlg = await newRule();
    await lbl('Segment').selectOption('cov-seg');
    await dlg.getByRole('radio', { name: 'Multi-Variate' }).check();
    const split = [await lbl('a').inputValue(), await lbl('b').inputValue(), await lbl('c').inputValue()];
    assert(split.join() === '33.34,33.33,33.33', `even split ${split.join()}`);
    await save(dlg.getByRole('button', { name: 'Create' }), 'Successfully created rule');

    const f = await ok('GET', `${P}/flags/cov-rules`);
    const keyOf = Object.fromEntries(f.variants.map((v) => [v.id, v.key]));
    const rules = (await ok('GET', `${P}/flags/cov-rules/rules`)).rules;
    assert(rules.length === 3, JSON.stringify(rules));
    assert(rules[0].distributions.length === 0 && rules[0].segmentKey === 'cov-seg', JSON.stringify(rules[0]));
    assert(rules[1].distributions.length === 1 && keyOf[rules[1].distributions[0].variantId] === 'b' && rules[1].distributions[0].rollout === 100, JSON.stringify(rules[1]));
    const d3 = Object.fromEntries(rules[2].distributions.map((d) => [keyOf[d.variantId], d.rollout]));
    assert(Math.abs(d3.a - 33.34) < 1e-6 && Math.abs(d3.b - 33.33) < 1e-6 && Math.abs(d3.c - 33.33) < 1e-6, JSON.stringify(d3));
    ruleIds = rules.map((r) => r.id);
  });

  await step('E2E-36 delete the first rule: the others move up and renumber', async () => {
    await page.getByRole('button', { name: 'Delete rule 1' }).click();
    const dlg = page.getByRole('dialog', { name: 'Delete Rule' });
    await dlg.getByText('delete rule 1').waitFor();
    await dlg.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Rule 3, reorder' }).waitFor({ state: 'detached' });
    const ids = await page.getByTestId('rule-card').evaluateAll((els) => els.map((e) => e.dataset.id));
    assert(ids.join() === ruleIds.slice(1).join(), `cards ${ids.join()} vs ${ruleIds.slice(1).join()}`);
    await page.getByRole('button', { name: 'Rule 1, reorder' }).waitFor();
    await page.getByRole('button', { name: 'Rule 2, reorder' }).waitFor();
    const rules = (await ok('GET', `${P}/flags/cov-rules/rules`)).rules;
    assert(rules.map((r) => `${r.id}:${r.rank}`).join() === `${ruleIds[1]}:1,${ruleIds[2]}:2`, JSON.stringify(rules.map((r) => [r.id, r.rank])));
  });

  await step('E2E-40 new segment with match type Any; update description and match type', async () => {
    await page.goto(`${origin}/namespaces/${NS}/segments/new`);
    await heading('New Segment');
    assert((await active()) === 'segment-name', 'focus on Name');
    await lbl('Name').fill('Cov Any');
    assert((await lbl('Key').inputValue()) === 'Cov-Any', 'key follows the name');
    assert(await page.getByRole('radio', { name: 'All' }).isChecked(), 'All by default');
    await page.getByRole('radio', { name: 'Any' }).check();
    await lbl('Description').fill('any of them');
    await save(page.getByRole('button', { name: 'Create', exact: true }), 'Successfully created segment');
    await page.waitForURL(`**/namespaces/${NS}/segments/Cov-Any`);
    let s = await ok('GET', `${P}/segments/Cov-Any`);
    assert(s.matchType === 'ANY_MATCH_TYPE' && s.description === 'any of them', JSON.stringify(s));
    await heading('Cov Any');
    assert(await page.getByRole('radio', { name: 'Any' }).isChecked(), 'Any shown');
    await page.getByRole('radio', { name: 'All' }).check();
    await lbl('Description').fill('all of them');
    await save(page.getByRole('button', { name: 'Update', exact: true }), 'Successfully updated segment');
    s = await ok('GET', `${P}/segments/Cov-Any`);
    assert(s.matchType === 'ALL_MATCH_TYPE' && s.description === 'all of them', JSON.stringify(s));
  });

  await step('E2E-41 constraint operators per type; no value field for no-value operators; Entity saves entityId', async () => {
    await page.locator('.empty-button', { hasText: 'New Constraint' }).click();
    await lbl('Property').fill('someprop');
    for (const [type, ops] of Object.entries(OPERATORS)) {
      await lbl('Type').selectOption({ label: type });
      const shown = await lbl('Operator').locator('option').allTextContents();
      assert(shown.join('|') === ops.join('|'), `${type}: ${shown.join('|')}`);
      const first = await lbl('Operator').inputValue();
      assert(first === (type === 'Boolean' ? 'true' : 'eq'), `${type} resets the operator to ${first}`);
      for (const op of ops) {
        await lbl('Operator').selectOption({ label: op });
        const valueFields = (await lbl('Value').count()) + (await lbl('Values').count()) + (await lbl('Date').count());
        if (NO_VALUE.has(op)) assert(valueFields === 0, `${type} ${op} hides the value`);
        else assert(valueFields === 1, `${type} ${op} shows one value field (${valueFields})`);
      }
      if (type === 'Entity') assert((await lbl('Property').count()) === 0, 'Entity hides the property');
      else assert((await lbl('Property').count()) === 1, `${type} shows the property`);
    }
    // Leaving Entity clears the property it set.
    await lbl('Type').selectOption({ label: 'String' });
    assert((await lbl('Property').inputValue()) === '', 'property cleared after Entity');
    await lbl('Type').selectOption({ label: 'Entity' });
    await lbl('Operator').selectOption({ label: '!=' });
    await lbl('Value').fill('user-1');
    await save(scoped().getByRole('button', { name: 'Create' }), 'Successfully created constraint');
    const c = (await ok('GET', `${P}/segments/Cov-Any`)).constraints[0];
    assert(c.type === 'ENTITY_ID_COMPARISON_TYPE' && c.property === 'entityId' && c.operator === 'neq' && c.value === 'user-1', JSON.stringify(c));
    // A no-value operator saves an empty value.
    await page.getByRole('button', { name: 'New Constraint' }).click();
    await lbl('Type').selectOption({ label: 'String' });
    await lbl('Property').fill('nickname');
    await lbl('Operator').selectOption({ label: 'IS NOT EMPTY' });
    await save(scoped().getByRole('button', { name: 'Create' }), 'Successfully created constraint');
    const n = (await ok('GET', `${P}/segments/Cov-Any`)).constraints.find((x) => x.property === 'nickname');
    assert(n.operator === 'notempty' && n.value === '', JSON.stringify(n));
  });

  await step('E2E-42 multi-value input: Enter, Add, paste, duplicates, numbers only, at most 100; table chips', async () => {
    const paste = (text) =>
      lbl('Values').evaluate((el, t) => {
        const dt = new DataTransfer();
        dt.setData('text/plain', t);
        el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
      }, text);
    const chips = () => scoped().getByRole('list', { name: 'Added values' }).getByRole('listitem').allTextContents();
    await page.getByRole('button', { name: 'New Constraint' }).click();
    await lbl('Property').fill('country');
    await lbl('Operator').selectOption({ label: 'IS ONE OF' });
    await lbl('Values').fill('fr');
    await lbl('Values').press('Enter');
    await lbl('Values').fill('de');
    await scoped().getByRole('button', { name: 'Add', exact: true }).click();
    await lbl('Values').fill('fr');
    await lbl('Values').press('Enter');
    await paste('es, it\npt, de');
    await eventually(async () => (await chips()).map((t) => t.replace('×', '')).join() === 'fr,de,es,it,pt', `chips ${(await chips()).join()}`);
    // 101 values in total are refused.
    await paste(Array.from({ length: 97 }, (_, i) => `c${i}`).join(','));
    await scoped().getByText('Too many items (maximum 100)').waitFor();
    assert((await chips()).length === 5, 'nothing added past the limit');
    await lbl('Values').fill('nl');
    await lbl('Values').press('Enter');
    await scoped().getByRole('button', { name: 'Remove pt' }).click();
    await lbl('Values').fill('pt');
    await lbl('Values').press('Enter');
    await save(scoped().getByRole('button', { name: 'Create' }), 'Successfully created constraint');
    const c = (await ok('GET', `${P}/segments/Cov-Any`)).constraints.find((x) => x.property === 'country');
    assert(c.operator === 'isoneof' && c.value === JSON.stringify(['fr', 'de', 'es', 'it', 'nl', 'pt']), c.value);
    // The table shows five chips and "…", which expands and collapses.
    const cell = page.getByRole('row').filter({ hasText: 'country' }).locator('.chips-inline');
    await eventually(async () => (await cell.locator('.chip').allTextContents()).join() === 'fr,de,es,it,nl', 'five chips in the table');
    await cell.getByRole('button', { name: /show all 6 values/ }).click();
    await eventually(async () => (await cell.locator('.chip').count()) === 6, 'all six chips');
    await cell.getByRole('button', { name: 'show less' }).click();
    await eventually(async () => (await cell.locator('.chip').count()) === 5, 'collapsed again');

    // Number lists: letters never reach the list.
    await page.getByRole('button', { name: 'New Constraint' }).click();
    await lbl('Type').selectOption({ label: 'Number' });
    await lbl('Property').fill('seats');
    await lbl('Operator').selectOption({ label: 'IS ONE OF' });
    await lbl('Values').pressSequentially('abc');
    await lbl('Values').press('Enter');
    assert((await chips()).length === 0, 'typed letters are not accepted');
    await paste('1, two');
    await scoped().getByText('Must be a number', { exact: true }).waitFor();
    assert((await chips()).length === 0, 'a pasted list with text is refused');
    await lbl('Values').fill('3');
    await lbl('Values').press('Enter');
    await lbl('Values').fill('10');
    await lbl('Values').press('Enter');
    await save(scoped().getByRole('button', { name: 'Create' }), 'Successfully created constraint');
    const s = (await ok('GET', `${P}/segments/Cov-Any`)).constraints.find((x) => x.property === 'seats');
    assert(s.type === 'NUMBER_COMPARISON_TYPE' && s.value === '[3,10]', s.value);
  });

  await step('E2E-91 destructive actions ask first; Cancel and Escape change nothing', async () => {
    // Seed one of everything: a rollout on the boolean flag.
    await ok('POST', `${P}/flags/Cov-Bool/rollouts`, { rank: 1, threshold: { percentage: 40, value: true } });
    const cancelBoth = async (open, title, check) => {
      for (const how of ['Cancel', 'Escape']) {
        await open();
        const dlg = page.getByRole('dialog', { name: title });
        await dlg.waitFor();
        assert(await isActive(dlg.getByRole('button', { name: 'Cancel' })) || (await dlg.getByLabel(/to confirm/).count()) > 0, `${title}: focus starts on Cancel`);
        if (how === 'Cancel') await dlg.getByRole('button', { name: 'Cancel' }).click();
        else await page.keyboard.press('Escape');
        await dlg.waitFor({ state: 'hidden' });
        assert(await check(), `${title}: unchanged after ${how}`);
      }
    };
    const exists = async (p) => (await api('GET', p)).status === 200;

    await page.goto(`${origin}/namespaces/${NS}/flags/cov-variant`);
    await heading('Coverage Variant');
    await cancelBoth(() => actions('Delete'), 'Delete Flag', () => exists(`${P}/flags/cov-variant`));
    await cancelBoth(() => page.getByRole('button', { name: 'Delete, v1.2' }).click(), 'Delete Variant', async () => (await ok('GET', `${P}/flags/cov-variant`)).variants.length === 1);

    await page.goto(`${origin}/namespaces/${NS}/flags/cov-rules/rules`);
    await page.getByRole('button', { name: 'Rule 2, reorder' }).waitFor();
    await cancelBoth(() => page.getByRole('button', { name: 'Delete rule 1' }).click(), 'Delete Rule', async () => (await ok('GET', `${P}/flags/cov-rules/rules`)).rules.length === 2);

    await page.goto(`${origin}/namespaces/${NS}/flags/Cov-Bool`);
    await page.getByTestId('rollout-card').first().waitFor();
    await cancelBoth(() => page.getByRole('button', { name: 'Delete rollout 1' }).click(), 'Delete Rollout', async () => (await ok('GET', `${P}/flags/Cov-Bool/rollouts`)).rules.length === 1);
    // An enabled flag (true default) needs its key typed.
    await cancelBoth(() => actions('Delete'), 'Delete Flag', () => exists(`${P}/flags/Cov-Bool`));

    await page.goto(`${origin}/namespaces/${NS}/segments/Cov-Any`);
    await heading('Cov Any');
    await cancelBoth(() => page.getByRole('button', { name: 'Delete, country' }).click(), 'Delete Constraint', async () => (await ok('GET', `${P}/segments/Cov-Any`)).constraints.length === 4);
    await cancelBoth(() => actions('Delete'), 'Delete Segment', () => exists(`${P}/segments/Cov-Any`));

    // Namespace deletion belongs to the Settings flows (E2E-70, 50-namespaces).

    // Confirming does delete (E2E-44 for a constraint, here through the same dialog).
    await page.goto(`${origin}/namespaces/${NS}/segments/Cov-Any`);
    await page.getByRole('button', { name: 'Delete, seats' }).click();
    await page.getByRole('dialog', { name: 'Delete Constraint' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Delete, seats' }).waitFor({ state: 'detached' });
    assert((await ok('GET', `${P}/segments/Cov-Any`)).constraints.length === 3, 'constraint deleted');
  });

  await step('E2E-45 a segment can be deleted once the last rule using it is gone', async () => {
    await page.goto(`${origin}/namespaces/${NS}/segments/cov-seg-2`);
    await heading('Cov Seg 2');
    await page.getByRole('list', { name: 'Flags using this segment' }).getByRole('link', { name: 'cov-rules' }).waitFor();
    await page.locator('summary', { hasText: 'Actions' }).click();
    assert(await page.getByRole('button', { name: 'Delete', exact: true }).isDisabled(), 'blocked while in use');
    await page.keyboard.press('Escape');
    // Remove the rule that uses it (rule 1 now: the single-variant rule).
    await page.getByRole('list', { name: 'Flags using this segment' }).getByRole('link', { name: 'cov-rules' }).click();
    await page.waitForURL(`**/namespaces/${NS}/flags/cov-rules/rules`);
    await page.getByRole('button', { name: 'Delete rule 1' }).click();
    await page.getByRole('dialog', { name: 'Delete Rule' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Rule 2, reorder' }).waitFor({ state: 'detached' });
    await page.goto(`${origin}/namespaces/${NS}/segments/cov-seg-2`);
    await page.getByText('No flag uses this segment; it can be deleted safely.').waitFor();
    await actions('Delete');
    const dlg = page.getByRole('dialog', { name: 'Delete Segment' });
    await dlg.getByText('cov-seg-2', { exact: true }).waitFor();
    await dlg.getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL(`**/namespaces/${NS}/segments`);
    assert((await api('GET', `${P}/segments/cov-seg-2`)).status === 404, 'segment deleted');
  });

  await step('E2E-92 error toasts (500 with and without JSON) stay until dismissed; success toasts go', async () => {
    await page.goto(`${origin}/namespaces/${NS}/flags/deep`);
    await heading('Deep Flag Renamed');
    const flagUrl = `${origin}${P}/flags/deep`;
    let body = JSON.stringify({ code: 13, message: 'database is on fire', details: [] });
    let type = 'application/json';
    const handler = (route) =>
      route.request().method() === 'PUT' ? route.fulfill({ status: 500, contentType: type, body }) : route.fallback();
    await page.route(flagUrl, handler);
    try {
      await lbl('Description').fill('will fail');
      await page.getByRole('button', { name: 'Update', exact: true }).click();
      const err = page.getByRole('alert').filter({ hasText: 'database is on fire' });
      await err.getByText('Error', { exact: true }).waitFor();
      await page.waitForTimeout(4000);
      assert(await err.isVisible(), 'the error toast stays');
      await err.getByRole('button', { name: 'Dismiss' }).click();
      await err.waitFor({ state: 'detached' });
      // A body that is not JSON (a proxy's HTML page) gives the generic message.
      body = '<html><body>Bad Gateway</body></html>';
      type = 'text/html';
      await page.getByRole('button', { name: 'Update', exact: true }).click();
      await page.getByRole('alert').filter({ hasText: 'An unexpected error occurred.' }).waitFor();
    } finally {
      await page.unroute(flagUrl, handler);
    }
    // The next success replaces the error and hides itself after about three seconds.
    await save(page.getByRole('button', { name: 'Update', exact: true }), 'Successfully updated flag');
    const shownAt = Date.now();
    assert((await page.getByRole('alert').filter({ hasText: 'An unexpected error occurred.' }).count()) === 0, 'success clears the error');
    await page.getByRole('status').filter({ hasText: 'Successfully updated flag' }).waitFor({ state: 'detached', timeout: 8000 });
    const visibleFor = Date.now() - shownAt;
    assert(visibleFor > 1500 && visibleFor < 6000, `success toast visible for ${visibleFor} ms`);
    assert((await ok('GET', `${P}/flags/deep`)).description === 'will fail', 'saved once the server recovered');
  });

  await step('E2E-93 keyboard: skip link, panels focus their first field and give focus back; Space toggles', async () => {
    await page.goto(`${origin}/namespaces/${NS}/flags/cov-variant`);
    await heading('Coverage Variant');
    await page.keyboard.press('Tab');
    assert((await page.evaluate(() => document.activeElement?.textContent)) === 'Skip to content', 'skip link first');
    await page.keyboard.press('Enter');
    await eventually(async () => (await active()) === 'main', 'focus in main');
    const focusVisible = () => page.evaluate(() => {
      const e = document.activeElement;
      return !!e && e.matches(':focus-visible') && getComputedStyle(e).outlineStyle !== 'none';
    });
    // Variant panel from the keyboard.
    const newVariant = page.getByRole('button', { name: 'New Variant' });
    await newVariant.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'New Variant' }).waitFor();
    assert((await active()) === 'variant-key', `focus in Key, not ${await active()}`);
    assert(await focusVisible(), 'focus visible in the panel');
    await page.keyboard.type('kb');
    await page.keyboard.press('Tab');
    assert((await active()) === 'variant-name', 'Tab moves to Name');
    await answerDialog(true, () => page.keyboard.press('Escape'));
    await page.getByRole('dialog', { name: 'New Variant' }).waitFor({ state: 'hidden' });
    assert(await isActive(newVariant), 'focus back on New Variant');
    assert(await focusVisible(), 'focus visible on the trigger');
    // Edit link, then a submit with Enter.
    const edit = page.getByRole('button', { name: 'Edit, v1.2' });
    await edit.focus();
    await page.keyboard.press('Enter');
    assert((await active()) === 'variant-key', 'edit panel focuses Key');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Version 1.2');
    await dismissToasts();
    await page.keyboard.press('Enter');
    await toast('Successfully updated variant.');
    assert((await ok('GET', `${P}/flags/cov-variant`)).variants[0].name === 'Version 1.2', 'saved with Enter');
    // Confirm dialog: focus on Cancel, Escape returns it to the row action.
    const del = page.getByRole('button', { name: 'Delete, v1.2' });
    await del.focus();
    await page.keyboard.press('Enter');
    const dlg = page.getByRole('dialog', { name: 'Delete Variant' });
    assert(await isActive(dlg.getByRole('button', { name: 'Cancel' })), 'focus on Cancel');
    await page.keyboard.press('Escape');
    await dlg.waitFor({ state: 'hidden' });
    assert(await isActive(del), 'focus back on Delete');
    // Actions menu: open with Enter, Escape closes it and keeps focus on the summary.
    const summary = page.locator('summary', { hasText: 'Actions' });
    await summary.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Duplicate', exact: true }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Duplicate', exact: true }).waitFor({ state: 'hidden' });
    assert(await isActive(summary), 'focus back on Actions');
    // Switches toggle with Space.
    const sw = page.getByRole('switch', { name: 'Enabled' });
    await sw.focus();
    await page.keyboard.press('Space');
    assert(await sw.isChecked(), 'Space toggles the switch');
    await page.keyboard.press('Space');
    assert(!(await sw.isChecked()), 'and back');
    // Constraint and rule panels focus their first control too.
    await page.goto(`${origin}/namespaces/${NS}/segments/Cov-Any`);
    await heading('Cov Any');
    const newConstraint = page.getByRole('button', { name: 'New Constraint' });
    await newConstraint.focus();
    await page.keyboard.press('Enter');
    assert((await active()) === 'constraint-type', `constraint panel focus ${await active()}`);
    await page.keyboard.press('Escape');
    assert(await isActive(newConstraint), 'focus back on New Constraint');
    await page.goto(`${origin}/namespaces/${NS}/flags/cov-rules/rules`);
    const newRule = page.getByRole('button', { name: 'New Rule' });
    await newRule.focus();
    await page.keyboard.press('Enter');
    const inPanel = await page.evaluate(() => {
      const e = document.activeElement;
      return !!e?.closest('dialog[open]') && ['INPUT', 'SELECT', 'TEXTAREA'].includes(e.tagName);
    });
    assert(inPanel, 'rule panel focuses a field');
    await page.keyboard.press('Escape');
    assert(await isActive(newRule), 'focus back on New Rule');
  });

  await step('E2E-94 accessibility of the create pages and the not-found states', async () => {
    await page.goto(`${origin}/namespaces/${NS}/flags/new`);
    await heading('New Flag');
    await axeScan('new flag');
    await page.goto(`${origin}/namespaces/${NS}/segments/new`);
    await heading('New Segment');
    await axeScan('new segment');
    await page.goto(`${origin}/namespaces/${NS}/flags/nope`);
    await page.getByRole('link', { name: 'Back to flags' }).waitFor();
    await axeScan('flag not found');
    await page.goto(`${origin}/no/such/page`);
    await heading('Not Found');
    await axeScan('404');
  });

  await step('coverage: clean up', async () => {
    for (const key of [NS, 'cov-other', LIST]) await cleanup(api, key);
    for (const key of [NS, 'cov-other', LIST]) assert((await api('GET', `/api/v1/namespaces/${key}`)).status === 404, `${key} deleted`);
    await page.evaluate(() => localStorage.setItem('flipt.namespace', 'default'));
    await page.goto(`${origin}/namespaces/default/flags`);
    await heading('Flags');
  });
}

async function cleanup(api, ns) {
  const base = `/api/v1/namespaces/${ns}`;
  const flags = (await api('GET', `${base}/flags?limit=200`)).body?.flags ?? [];
  for (const f of flags) await api('DELETE', `${base}/flags/${f.key}`);
  const segments = (await api('GET', `${base}/segments?limit=200`)).body?.segments ?? [];
  for (const s of segments) await api('DELETE', `${base}/segments/${s.key}`);
  await api('DELETE', base);
}
