// Flag detail flows: metadata editor (E2E-26), rules without variants (E2E-31), rule quick edit
// (E2E-32), rule type changes and later variants (E2E-33), Default Rule (E2E-34), missing
// segment (E2E-38), rollout quick edit (E2E-37) and an accessibility scan of the metadata editor.
// Everything lives in the namespace "detail-ns", created and deleted here.

const NS_KEY = 'detail-ns';
const NS = `/api/v1/namespaces/${NS_KEY}`;

export default async function flagDetail(ctx) {
  const { page, origin, api, toast, lbl, heading, assert, eventually, step } = ctx;
  const ok = async (method, path, body) => {
    const r = await api(method, path, body);
    assert(r.status === 200, `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const flagUrl = (key, tab = '') => `${origin}/namespaces/${NS_KEY}/flags/${key}${tab}`;
  const updateFlag = () => page.getByRole('button', { name: 'Update', exact: true });
  const ruleCard = (i) => page.getByTestId('rule-card').nth(i);
  const rules = async (flag) => (await ok('GET', `${NS}/flags/${flag}/rules`)).rules;
  const distOf = async (flag, i) => {
    const f = await ok('GET', `${NS}/flags/${flag}`);
    const key = Object.fromEntries(f.variants.map((v) => [v.id, v.key]));
    const r = (await rules(flag))[i];
    return Object.fromEntries(r.distributions.map((d) => [key[d.variantId], d.rollout]));
  };
  // Compares JSON values regardless of object key order (the server may reorder keys).
  const stable = (v) =>
    Array.isArray(v)
      ? `[${v.map(stable).join(',')}]`
      : v && typeof v === 'object'
        ? `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stable(v[k])}`).join(',')}}`
        : JSON.stringify(v);
  const same = (a, b) => stable(a) === stable(b);
  // Clicks a save button and waits for its toast; an older toast with the same text is dismissed
  // first so it cannot satisfy the wait.
  const save = async (button, text) => {
    const dismiss = page.getByRole('status').getByRole('button', { name: 'Dismiss' });
    if ((await dismiss.count()) > 0) await dismiss.first().click().catch(() => {});
    await button.click();
    await toast(text);
  };

  await step('flag detail: seed namespace "detail-ns"', async () => {
    const existing = await api('GET', NS);
    if (existing.status === 200) await cleanup(api);
    await ok('POST', '/api/v1/namespaces', { key: NS_KEY, name: 'Detail NS' });
    await ok('POST', `${NS}/flags`, { key: 'meta', name: 'Meta Flag', type: 'VARIANT_FLAG_TYPE' });
    await ok('POST', `${NS}/flags`, { key: 'novariants', name: 'No Variants', type: 'VARIANT_FLAG_TYPE', enabled: true });
    await ok('POST', `${NS}/flags`, {
      key: 'pricing',
      name: 'Pricing',
      type: 'VARIANT_FLAG_TYPE',
      enabled: true,
      metadata: { owner: 'growth' },
    });
    for (const key of ['seg-a', 'seg-b', 'seg-c']) await ok('POST', `${NS}/segments`, { key, name: `Segment ${key.slice(4).toUpperCase()}` });
  });

  await step('E2E-26 metadata: add every type, duplicate key blocks saving, remove, edit in place', async () => {
    await page.goto(flagUrl('meta'));
    await heading('Meta Flag');
    const add = page.getByRole('button', { name: 'Add Metadata' });
    const entry = (n) => page.getByRole('group', { name: `Metadata entry ${n}` });

    await add.click();
    assert(await page.evaluate(() => document.activeElement?.id?.endsWith('-key')), 'focus moves to the new key');
    await lbl('Metadata Key 1').fill('team name');
    assert((await lbl('Metadata Key 1').inputValue()) === 'team-name', 'key normalised');
    await lbl('Metadata Value 1').fill('web');

    await add.click();
    await lbl('Metadata Key 2').fill('weight');
    await lbl('Metadata Value type 2').selectOption('number');
    await lbl('Metadata Value 2').fill('heavy');
    await entry(2).getByText('Must be a number').waitFor();
    await lbl('Metadata Value 2').fill('2.5');

    await add.click();
    await lbl('Metadata Key 3').fill('beta');
    await lbl('Metadata Value type 3').selectOption('boolean');
    await lbl('Metadata Value 3').selectOption('false');

    await add.click();
    await lbl('Metadata Key 4').fill('owners');
    await lbl('Metadata Type 4').selectOption('object');
    await lbl('Metadata Value 4').fill('{"lead": ');
    await entry(4).getByText(/^Must be valid JSON/).waitFor();
    assert(await updateFlag().isDisabled(), 'invalid JSON blocks saving');
    await lbl('Metadata Value 4').fill('["ana"]');
    await entry(4).getByText('Must be a JSON object').waitFor();
    await lbl('Metadata Value 4').fill('{"lead":"ana","size":3}');
    await entry(4).getByRole('button', { name: 'Format Metadata value 4' }).click();
    assert((await lbl('Metadata Value 4').inputValue()).includes('\n  "lead": "ana"'), 'formatted');

    await add.click();
    await lbl('Metadata Key 5').fill('regions');
    await lbl('Metadata Type 5').selectOption('array');
    await lbl('Metadata Value 5').fill('{"eu": 1}');
    await entry(5).getByText('Must be a JSON array').waitFor();
    await lbl('Metadata Value 5').fill('["eu", "us"]');

    // A duplicate key blocks saving until it is removed.
    await add.click();
    await lbl('Metadata Key 6').fill('weight');
    await lbl('Metadata Value 6').fill('x');
    assert((await page.getByText('Key must be unique').count()) === 2, 'both duplicates marked');
    assert(await updateFlag().isDisabled(), 'duplicate key blocks saving');
    await entry(6).getByRole('button', { name: 'Remove metadata entry' }).click();
    await page.getByText('Key must be unique').first().waitFor({ state: 'detached' });

    // An entry without a key says so and is ignored.
    await add.click();
    await lbl('Metadata Value 6').fill('orphan');
    await lbl('Metadata Key 6').focus();
    await lbl('Metadata Key 6').blur();
    await entry(6).getByText('Key is required').waitFor();

    await page.getByText('Unsaved changes').waitFor();
    assert(!(await updateFlag().isDisabled()), 'valid metadata can be saved');
    await save(updateFlag(), 'Successfully updated flag');
    const want = { 'team-name': 'web', weight: 2.5, beta: false, owners: { lead: 'ana', size: 3 }, regions: ['eu', 'us'] };
    const saved = (await ok('GET', `${NS}/flags/meta`)).metadata;
    assert(same(saved, want), JSON.stringify(saved));

    // After a reload the entries come back as rows; values are editable in place.
    await page.reload();
    await heading('Meta Flag');
    // Rows follow the key order the server returns; find them by key.
    const rowOf = async (key) => {
      for (let n = 1; n <= 10; n++) {
        const input = lbl(`Metadata Key ${n}`);
        if ((await input.count()) === 0) break;
        if ((await input.inputValue()) === key) return n;
      }
      throw new Error(`no metadata row for ${key}`);
    };
    const w = await rowOf('weight');
    assert((await lbl(`Metadata Value type ${w}`).inputValue()) === 'number', 'type reloaded');
    assert((await lbl(`Metadata Value ${await rowOf('beta')}`).inputValue()) === 'false', 'boolean reloaded');
    assert((await lbl(`Metadata Type ${await rowOf('regions')}`).inputValue()) === 'array', 'array reloaded');
    assert(await updateFlag().isDisabled(), 'clean after reload');
    await lbl(`Metadata Value ${w}`).fill('3');
    await lbl(`Metadata Value ${await rowOf('team-name')}`).fill('platform');
    await entry(await rowOf('beta')).getByRole('button', { name: 'Remove metadata entry' }).click();
    await save(updateFlag(), 'Successfully updated flag');
    const edited = (await ok('GET', `${NS}/flags/meta`)).metadata;
    assert(same(edited, { 'team-name': 'platform', weight: 3, owners: { lead: 'ana', size: 3 }, regions: ['eu', 'us'] }), JSON.stringify(edited));

    // Metadata the rows cannot show opens in the raw JSON editor.
    const withNull = await api('PUT', `${NS}/flags/meta`, { name: 'Meta Flag', metadata: { a: null, b: 'x' } });
    if (withNull.status === 200 && withNull.body.metadata && withNull.body.metadata.a === null) {
      await page.reload();
      await heading('Meta Flag');
      const raw = lbl('Metadata JSON');
      assert((await raw.inputValue()).includes('"a": null'), 'raw JSON editor shown');
      await raw.fill('{"a": null, "b": ');
      await page.getByText(/^Must be valid JSON/).waitFor();
      assert(await updateFlag().isDisabled(), 'raw JSON must parse');
      await raw.fill('{"a": null, "b": "y"}');
      await save(updateFlag(), 'Successfully updated flag');
      assert(same((await ok('GET', `${NS}/flags/meta`)).metadata, { a: null, b: 'y' }), 'raw JSON saved');
    } else {
      console.log('     note: the server drops null metadata values, so the raw JSON fallback was not exercised');
    }

    // Removing every entry clears the stored metadata.
    await ok('PUT', `${NS}/flags/meta`, { name: 'Meta Flag', metadata: { only: 'one' } });
    await page.reload();
    await heading('Meta Flag');
    await entry(1).getByRole('button', { name: 'Remove metadata entry' }).click();
    await save(updateFlag(), 'Successfully updated flag');
    const cleared = (await ok('GET', `${NS}/flags/meta`)).metadata ?? {};
    assert(Object.keys(cleared).length === 0, JSON.stringify(cleared));

    // Accessibility of the editor with every kind of row, in both themes.
    await ok('PUT', `${NS}/flags/meta`, { name: 'Meta Flag', metadata: { s: 'x', n: 1, b: true, o: { k: 'v' }, a: [1] } });
    await page.reload();
    await heading('Meta Flag');
    await add.click();
    await lbl('Metadata Value 6').fill('no key');
    await ctx.shot('dashboard-flag-metadata', page.getByLabel('Description', { exact: true }));
    await ctx.axeScan('flag metadata editor');
  });

  await step('E2E-26 metadata on the New Flag page is sent with the create call', async () => {
    await page.goto(`${origin}/namespaces/${NS_KEY}/flags/new`);
    await heading('New Flag');
    await lbl('Name').fill('Born With Metadata');
    await page.getByRole('button', { name: 'Add Metadata' }).click();
    await lbl('Metadata Key 1').fill('team');
    await lbl('Metadata Value 1').fill('web');
    await page.getByRole('button', { name: 'Add Metadata' }).click();
    await lbl('Metadata Key 2').fill('team');
    assert(await page.getByRole('button', { name: 'Create', exact: true }).isDisabled(), 'duplicate blocks create');
    await lbl('Metadata Key 2').fill('tier');
    await lbl('Metadata Value type 2').selectOption('number');
    await lbl('Metadata Value 2').fill('2');
    await save(page.getByRole('button', { name: 'Create', exact: true }), 'Successfully created flag');
    await page.waitForURL(`**/namespaces/${NS_KEY}/flags/Born-With-Metadata`);
    const f = await ok('GET', `${NS}/flags/Born-With-Metadata`);
    assert(same(f.metadata, { team: 'web', tier: 2 }), JSON.stringify(f.metadata));
  });

  await step('E2E-31 a flag without variants: rules can only return the default variant', async () => {
    await page.goto(flagUrl('novariants', '/rules'));
    await page.getByRole('heading', { name: 'Rules', level: 2 }).waitFor();
    await page.locator('.empty-button', { hasText: 'New Rule' }).click();
    const dlg = page.getByRole('dialog', { name: 'New Rule' });
    assert(await dlg.getByRole('radio', { name: 'Default Variant / None' }).isChecked(), 'none preselected');
    assert(await dlg.getByRole('radio', { name: 'Single Variant' }).isDisabled(), 'single disabled');
    assert(await dlg.getByRole('radio', { name: 'Multi-Variate' }).isDisabled(), 'multi disabled');
    const link = dlg.getByRole('link', { name: 'Add variants' });
    assert((await link.getAttribute('href')) === `/namespaces/${NS_KEY}/flags/novariants`, await link.getAttribute('href'));
    await lbl('Segment').selectOption('seg-a');
    await save(dlg.getByRole('button', { name: 'Create' }), 'Successfully created rule');
    const [r] = await rules('novariants');
    assert(r && r.distributions.length === 0 && r.segmentKey === 'seg-a', JSON.stringify(r));
    // The card's type picker offers the same choice only, with the same note.
    const type = ruleCard(0).getByLabel('Type', { exact: true });
    assert((await type.inputValue()) === 'none', 'card type none');
    const disabled = await type.locator('option').evaluateAll((os) => os.filter((o) => o.disabled).map((o) => o.value));
    assert(same(disabled, ['single', 'multi']), disabled.join());
    assert((await page.getByText('Default Rule').count()) === 0, 'no Default Rule card without variants');
    await ruleCard(0).getByRole('link', { name: 'Add variants' }).click();
    await page.waitForURL(`**/namespaces/${NS_KEY}/flags/novariants`);
    await page.getByRole('heading', { name: 'Variants', level: 2 }).waitFor();
  });

  let ids;
  await step('E2E-32 rule quick edit: segments, operator, variant, percentages, reset, reload', async () => {
    for (const key of ['control', 'treatment']) await ok('POST', `${NS}/flags/pricing/variants`, { key });
    const f = await ok('GET', `${NS}/flags/pricing`);
    ids = Object.fromEntries(f.variants.map((v) => [v.key, v.id]));
    const r1 = await ok('POST', `${NS}/flags/pricing/rules`, { segmentKeys: ['seg-a'], rank: 1 });
    await ok('POST', `${NS}/flags/pricing/rules/${r1.id}/distributions`, { variantId: ids.control, rollout: 100 });
    const r2 = await ok('POST', `${NS}/flags/pricing/rules`, { segmentKeys: ['seg-b'], rank: 2 });
    for (const v of ['control', 'treatment']) await ok('POST', `${NS}/flags/pricing/rules/${r2.id}/distributions`, { variantId: ids[v], rollout: 50 });

    await page.goto(flagUrl('pricing', '/rules'));
    await page.getByRole('button', { name: 'Rule 2, reorder' }).waitFor();
    const c1 = ruleCard(0);
    assert((await c1.getByLabel('Type', { exact: true }).inputValue()) === 'single', 'rule 1 single');
    assert((await c1.getByLabel('Variant', { exact: true }).inputValue()) === ids.control, 'rule 1 control');
    assert(await c1.getByRole('button', { name: 'Update rule 1' }).isDisabled(), 'unchanged: Update disabled');

    // Change, then Reset restores the saved values.
    await c1.getByRole('button', { name: 'Add segment' }).click();
    await c1.getByLabel('Segment 2', { exact: true }).selectOption('seg-b');
    await c1.getByRole('radio', { name: 'AND (ALL Segments)' }).check();
    await c1.getByLabel('Variant', { exact: true }).selectOption(ids.treatment);
    await c1.getByText('Unsaved changes').waitFor();
    await c1.getByRole('button', { name: 'Reset rule 1' }).click();
    assert((await c1.getByLabel('Segment 2', { exact: true }).count()) === 0, 'reset removed the second segment');
    assert((await c1.getByLabel('Variant', { exact: true }).inputValue()) === ids.control, 'reset variant');

    // Change again and save.
    await c1.getByRole('button', { name: 'Add segment' }).click();
    await c1.getByLabel('Segment 2', { exact: true }).selectOption('seg-c');
    await c1.getByRole('radio', { name: 'AND (ALL Segments)' }).check();
    await c1.getByLabel('Variant', { exact: true }).selectOption(ids.treatment);
    await save(c1.getByRole('button', { name: 'Update rule 1' }), 'Successfully updated rule');

    const c2 = ruleCard(1);
    await c2.getByLabel('control', { exact: true }).fill('40');
    await c2.getByLabel('treatment', { exact: true }).fill('70');
    await c2.getByText('Multi-variate rules must have distributions that add up to 100% or less.').waitFor();
    assert(await c2.getByRole('button', { name: 'Update rule 2' }).isDisabled(), 'over 100 blocks saving');
    await c2.getByLabel('control', { exact: true }).fill('30');
    await c2.getByText('Total: 100%').waitFor();
    await save(c2.getByRole('button', { name: 'Update rule 2' }), 'Successfully updated rule');

    const [s1, s2] = await rules('pricing');
    assert(same([...s1.segmentKeys].sort(), ['seg-a', 'seg-c']) && s1.segmentOperator === 'AND_SEGMENT_OPERATOR', JSON.stringify(s1));
    assert(same(await distOf('pricing', 0), { treatment: 100 }), 'rule 1 single variant saved');
    assert(same(await distOf('pricing', 1), { control: 30, treatment: 70 }), 'rule 2 percentages saved');
    assert(s2.segmentKey === 'seg-b', 'rule 2 segments unchanged');

    // Everything reads back after a reload.
    await page.reload();
    await page.getByRole('button', { name: 'Rule 2, reorder' }).waitFor();
    assert((await c1.getByLabel('Segment', { exact: true }).inputValue()) === 'seg-a', 'segment 1');
    assert((await c1.getByLabel('Segment 2', { exact: true }).inputValue()) === 'seg-c', 'segment 2');
    assert(await c1.getByRole('radio', { name: 'AND (ALL Segments)' }).isChecked(), 'AND kept');
    assert((await c1.getByLabel('Variant', { exact: true }).inputValue()) === ids.treatment, 'variant kept');
    assert((await c2.getByLabel('control', { exact: true }).inputValue()) === '30', 'control 30');
    assert((await c2.getByLabel('treatment', { exact: true }).inputValue()) === '70', 'treatment 70');
    await ctx.shot('dashboard-rules-quick-edit', page.getByRole('heading', { name: 'Rules', level: 2 }));
    await ctx.axeScan('rules quick edit');
  });

  await step('E2E-33 change a rule type after creation; a later variant joins a multi-variate rule', async () => {
    const c1 = ruleCard(0);
    const c2 = ruleCard(1);
    // single -> multi-variate
    await c1.getByLabel('Type', { exact: true }).selectOption('multi');
    await c1.getByLabel('control', { exact: true }).fill('25');
    await c1.getByLabel('treatment', { exact: true }).fill('75');
    await save(c1.getByRole('button', { name: 'Update rule 1' }), 'Successfully updated rule');
    await eventually(async () => same(await distOf('pricing', 0), { control: 25, treatment: 75 }), 'rule 1 multi-variate');

    // A variant created now appears in the multi-variate rule and can get a share.
    await ok('POST', `${NS}/flags/pricing/variants`, { key: 'beta' });
    await page.reload();
    await page.getByRole('button', { name: 'Rule 2, reorder' }).waitFor();
    assert((await c2.getByLabel('beta', { exact: true }).inputValue()) === '0', 'new variant offered at 0');
    await c2.getByLabel('treatment', { exact: true }).fill('40');
    await c2.getByLabel('beta', { exact: true }).fill('30');
    await save(c2.getByRole('button', { name: 'Update rule 2' }), 'Successfully updated rule');
    await eventually(async () => same(await distOf('pricing', 1), { control: 30, treatment: 40, beta: 30 }), 'beta added to rule 2');

    // multi-variate -> none -> single
    await c1.getByLabel('Type', { exact: true }).selectOption('none');
    await save(c1.getByRole('button', { name: 'Update rule 1' }), 'Successfully updated rule');
    await eventually(async () => same(await distOf('pricing', 0), {}), 'rule 1 none');
    await c1.getByLabel('Type', { exact: true }).selectOption('single');
    assert(await c1.getByRole('button', { name: 'Update rule 1' }).isDisabled(), 'single needs a variant');
    await c1.getByLabel('Variant', { exact: true }).selectOption({ label: 'beta' });
    await save(c1.getByRole('button', { name: 'Update rule 1' }), 'Successfully updated rule');
    await eventually(async () => same(await distOf('pricing', 0), { beta: 100 }), 'rule 1 single beta');
    // The Edit panel changes the type too (multi-variate -> single).
    await page.getByRole('button', { name: 'Edit rule 2' }).click();
    const dlg = page.getByRole('dialog', { name: /Edit Rule/ });
    await dlg.getByRole('radio', { name: 'Single Variant' }).check();
    await dlg.getByLabel('Variant', { exact: true }).selectOption({ label: 'control' });
    await save(dlg.getByRole('button', { name: 'Update' }), 'Successfully updated rule');
    await eventually(async () => same(await distOf('pricing', 1), { control: 100 }), 'rule 2 single via panel');
  });

  await step('E2E-34 Default Rule: set, change, reset, remove; read back after reload', async () => {
    await page.goto(flagUrl('pricing', '/rules'));
    const picker = page.getByLabel('Default Variant', { exact: true });
    await picker.waitFor();
    assert((await picker.inputValue()) === '', 'no default yet');
    assert(await page.getByRole('button', { name: 'Remove default variant' }).isDisabled(), 'nothing to remove');
    await picker.selectOption({ label: 'control' });
    await save(page.getByRole('button', { name: 'Update default variant' }), 'Successfully updated default variant');
    let f = await ok('GET', `${NS}/flags/pricing`);
    assert(f.defaultVariant?.key === 'control', JSON.stringify(f.defaultVariant));
    assert(f.enabled === true && same(f.metadata, { owner: 'growth' }), `flag kept: ${JSON.stringify(f)}`);

    await page.reload();
    await picker.waitFor();
    assert((await picker.inputValue()) === ids.control, 'default read back');
    await picker.selectOption({ label: 'treatment' });
    await page.getByRole('button', { name: 'Reset default variant' }).click();
    assert((await picker.inputValue()) === ids.control, 'reset');
    await picker.selectOption({ label: 'treatment' });
    await save(page.getByRole('button', { name: 'Update default variant' }), 'Successfully updated default variant');
    f = await ok('GET', `${NS}/flags/pricing`);
    assert(f.defaultVariant?.key === 'treatment', 'changed');

    await save(page.getByRole('button', { name: 'Remove default variant' }), 'Successfully removed default variant');
    f = await ok('GET', `${NS}/flags/pricing`);
    assert(!f.defaultVariant, JSON.stringify(f.defaultVariant));
    await page.reload();
    await picker.waitFor();
    assert((await picker.inputValue()) === '', 'removal read back');
  });

  await step('E2E-38 a rule whose segment is gone shows "Segment is missing" (segment list stubbed)', async () => {
    // The server refuses to delete a segment that a rule uses (and the database enforces it), so
    // a dangling reference cannot be seeded through the API; the segment list is stubbed instead.
    const refused = await api('DELETE', `${NS}/segments/seg-b`);
    assert(refused.status === 400 && /in use/.test(refused.body?.message ?? ''), JSON.stringify(refused));
    const segmentsPath = `/api/v1/namespaces/${NS_KEY}/segments`;
    const handler = async (route) => {
      const res = await route.fetch();
      const json = await res.json();
      json.segments = json.segments.filter((s) => s.key !== 'seg-b');
      await route.fulfill({ response: res, json });
    };
    const match = (url) => url.pathname === segmentsPath;
    await page.route(match, handler);
    try {
      await page.goto(flagUrl('pricing', '/rules'));
      const c2 = ruleCard(1);
      await c2.getByText('Segment is missing', { exact: true }).waitFor();
      assert((await ruleCard(0).getByText('Segment is missing').count()) === 0, 'rule 1 is fine');
      assert((await c2.getByLabel('Segment', { exact: true }).inputValue()) === 'seg-b', 'missing key still selected');
    } finally {
      await page.unroute(match, handler);
    }
  });

  await step('E2E-37 rollout quick edit: threshold percentage and value, reset, segments', async () => {
    await ok('POST', `${NS}/flags`, { key: 'kill', name: 'Kill Switch', type: 'BOOLEAN_FLAG_TYPE' });
    await ok('POST', `${NS}/flags/kill/rollouts`, { rank: 1, threshold: { percentage: 30, value: false } });
    await ok('POST', `${NS}/flags/kill/rollouts`, { rank: 2, segment: { segmentKeys: ['seg-a'], value: true } });
    await page.goto(flagUrl('kill'));
    const c1 = page.getByTestId('rollout-card').nth(0);
    const c2 = page.getByTestId('rollout-card').nth(1);
    const pct = c1.getByLabel('Percentage', { exact: true });
    await pct.waitFor();
    assert((await pct.inputValue()) === '30', 'threshold shown');
    await pct.fill('55');
    await c1.getByLabel('Value', { exact: true }).selectOption('true');
    await c1.getByRole('button', { name: 'Reset rollout 1' }).click();
    assert((await pct.inputValue()) === '30' && (await c1.getByLabel('Value', { exact: true }).inputValue()) === 'false', 'reset');
    await pct.fill('101');
    assert(await c1.getByRole('button', { name: 'Update rollout 1' }).isDisabled(), 'out of range blocks saving');
    await c1.getByLabel('Percentage slider').fill('55');
    assert((await pct.inputValue()) === '55', 'slider drives the number');
    await c1.getByLabel('Value', { exact: true }).selectOption('true');
    await save(c1.getByRole('button', { name: 'Update rollout 1' }), 'Successfully updated rollout');
    await c2.getByRole('button', { name: 'Add segment' }).click();
    await c2.getByLabel('Segment 2', { exact: true }).selectOption('seg-c');
    await c2.getByRole('radio', { name: 'AND (ALL Segments)' }).check();
    await save(c2.getByRole('button', { name: 'Update rollout 2' }), 'Successfully updated rollout');
    const [t, s] = (await ok('GET', `${NS}/flags/kill/rollouts`)).rules;
    assert(t.threshold.percentage === 55 && t.threshold.value === true, JSON.stringify(t));
    assert(same([...s.segment.segmentKeys].sort(), ['seg-a', 'seg-c']) && s.segment.segmentOperator === 'AND_SEGMENT_OPERATOR', JSON.stringify(s));
    await page.reload();
    await pct.waitFor();
    assert((await pct.inputValue()) === '55', 'percentage read back');
  });

  await step('flag detail: clean up namespace "detail-ns"', async () => {
    await cleanup(api);
    assert((await api('GET', NS)).status === 404, 'namespace deleted');
  });
}

async function cleanup(api) {
  const flags = (await api('GET', `${NS}/flags?limit=100`)).body?.flags ?? [];
  for (const f of flags) await api('DELETE', `${NS}/flags/${f.key}`);
  const segments = (await api('GET', `${NS}/segments?limit=100`)).body?.segments ?? [];
  for (const s of segments) await api('DELETE', `${NS}/segments/${s.key}`);
  await api('DELETE', NS);
}
