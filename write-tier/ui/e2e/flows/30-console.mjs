// Console, analytics tab and segment copy (dashboard.md §2.9, §2.5.9, §2.5.8):
// E2E-46, E2E-50..56, E2E-60, and an accessibility scan of the console in both themes.
import { execFileSync } from 'node:child_process';

export default async function (ctx) {
  const { page, origin, api, toast, lbl, heading, path, setTheme, axeScan, assert, eventually, step } = ctx;
  const NS = 'console-ns';
  const P = `/api/v1/namespaces/${NS}`;
  const namespaces = [NS, 'console-empty', 'console-other', 'console-copy'];
  const ok = async (method, p, body) => {
    const r = await api(method, p, body);
    assert(r.status === 200, `${method} ${p}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const direct = (kind, body) => ok('POST', `/evaluate/v1/${kind}`, body);
  const copyMenu = () => page.locator('summary', { hasText: 'Copy' });
  const result = () => page.getByTestId('console-result');
  const summary = () => page.getByTestId('console-summary');
  // The summary's value for a term ("Matched", "Reason", "Variant", "Value", "Segments").
  const term = (name) => summary().locator('div', { has: page.locator('dt', { hasText: name }) }).locator('dd');
  const evaluate = async (context) => {
    if (context !== undefined) await lbl('Request Context').fill(JSON.stringify(context));
    const shown = async () => ((await result().count()) > 0 ? await result().textContent() : null);
    const before = await shown();
    await page.getByRole('button', { name: 'Evaluate', exact: true }).click();
    // Each response carries a fresh request id, so the shown JSON changes on every run.
    await eventually(async () => {
      const now = await shown();
      return now !== null && now !== before;
    }, 'a new evaluation result');
    return JSON.parse(await result().textContent());
  };
  const copyAs = async (label) => {
    await copyMenu().click();
    await page.getByRole('button', { name: label, exact: true }).click();
    await toast('Command copied to clipboard');
    const shown = await page.getByTestId('console-copied').inputValue();
    const clip = await page.evaluate(() => navigator.clipboard.readText());
    assert(clip === shown, `clipboard holds the ${label}: ${clip}`);
    return clip;
  };

  await step('console: seed namespaces, segments and flags through the API', async () => {
    for (const key of namespaces) await ok('POST', '/api/v1/namespaces', { key, name: key });
    for (const [key, prop, value] of [['pro-users', 'plan', 'pro'], ['eu-users', 'region', 'eu']]) {
      await ok('POST', `${P}/segments`, { key, name: key.replace('-', ' '), matchType: 'ALL_MATCH_TYPE' });
      await ok('POST', `${P}/segments/${key}/constraints`, {
        type: 'STRING_COMPARISON_TYPE',
        property: prop,
        operator: 'eq',
        value,
        description: `${prop} is ${value}`,
      });
    }
    await ok('POST', `${P}/segments/pro-users/constraints`, { type: 'NUMBER_COMPARISON_TYPE', property: 'seats', operator: 'gte', value: '1' });
    // Variant flag: pro users with at least one seat get "treatment".
    await ok('POST', `${P}/flags`, { key: 'pricing', name: 'Pricing', type: 'VARIANT_FLAG_TYPE', enabled: true });
    await ok('POST', `${P}/flags/pricing/variants`, { key: 'control' });
    const treatment = await ok('POST', `${P}/flags/pricing/variants`, { key: 'treatment', attachment: '{"price": 9}' });
    const rule = await ok('POST', `${P}/flags/pricing/rules`, { segmentKey: 'pro-users', rank: 1 });
    await ok('POST', `${P}/flags/pricing/rules/${rule.id}/distributions`, { variantId: treatment.id, rollout: 100 });
    // Boolean flag: EU users get false (segment rollout), everyone else true (100% threshold).
    await ok('POST', `${P}/flags`, { key: 'killswitch', name: 'Kill Switch', type: 'BOOLEAN_FLAG_TYPE', enabled: false });
    await ok('POST', `${P}/flags/killswitch/rollouts`, { rank: 1, segment: { segmentKey: 'eu-users', value: false } });
    await ok('POST', `${P}/flags/killswitch/rollouts`, { rank: 2, threshold: { percentage: 100, value: true } });
    await ok('POST', '/api/v1/namespaces/console-other/flags', { key: 'elsewhere', name: 'Elsewhere', type: 'BOOLEAN_FLAG_TYPE' });
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  });

  await step('E2E-50 console of an empty namespace offers "Create Flag"', async () => {
    await page.goto(`${origin}/namespaces/console-empty/console`);
    await heading('Console');
    await page.getByText('At least one flag must exist').waitFor();
    await page.getByRole('link', { name: 'Create Flag' }).click();
    await heading('New Flag');
    assert(path() === '/namespaces/console-empty/flags/new', path());
  });

  await step('E2E-51 variant flag: match with variant, no match with reason (same as the API)', async () => {
    await page.goto(`${origin}/namespaces/${NS}/console`);
    await heading('Console');
    await page.getByText('Enter a flag, an entity id and optional context').waitFor();
    const evaluateBtn = page.getByRole('button', { name: 'Evaluate', exact: true });
    assert(await evaluateBtn.isDisabled(), 'Evaluate disabled without a flag');
    assert((await lbl('Request Context').inputValue()) === '{}', 'context defaults to {}');
    await lbl('Flag Key').selectOption('pricing');
    await lbl('Entity ID').fill('user-1');
    const hit = await evaluate({ plan: 'pro', seats: '3' });
    const body = { namespaceKey: NS, flagKey: 'pricing', entityId: 'user-1', context: { plan: 'pro', seats: '3' } };
    const want = await direct('variant', body);
    assert(hit.match === true && want.match === true, JSON.stringify(hit));
    for (const k of ['variantKey', 'reason', 'flagKey', 'variantAttachment']) assert(hit[k] === want[k], `${k}: ${hit[k]} vs ${want[k]}`);
    assert(hit.variantKey === 'treatment' && hit.segmentKeys.join() === 'pro-users', JSON.stringify(hit));
    assert((await term('Matched').textContent()) === 'Yes', 'summary: matched');
    assert((await term('Variant').textContent()) === 'treatment', 'summary: variant');
    assert((await term('Reason').textContent()).includes('matched'), 'summary: reason in words');
    const link = term('Segments').getByRole('link', { name: 'pro-users' });
    assert((await link.getAttribute('href')).endsWith(`/namespaces/${NS}/segments/pro-users`), 'segment link');

    const miss = await evaluate({ plan: 'free', seats: '3' });
    const wantMiss = await direct('variant', { ...body, context: { plan: 'free', seats: '3' } });
    assert(miss.match === false && miss.reason === wantMiss.reason && !miss.variantKey, JSON.stringify(miss));
    assert((await term('Matched').textContent()) === 'No', 'summary: no match');
    assert((await term('Reason').textContent()) === 'No rule matched the request.', await term('Reason').textContent());
    await term('Variant').getByText('none').waitFor();

    // The segment link opens the segment.
    await evaluate({ plan: 'pro', seats: '1' });
    await term('Segments').getByRole('link', { name: 'pro-users' }).click();
    await heading('pro users');
    await page.goBack();
    await heading('Console');
  });

  await step('E2E-52 boolean flag against a segment rollout and a threshold rollout', async () => {
    await page.goto(`${origin}/namespaces/${NS}/console`);
    await lbl('Flag Key').selectOption('killswitch');
    await lbl('Entity ID').fill('user-2');
    const eu = await evaluate({ region: 'eu' });
    assert(eu.enabled === false && eu.reason === 'MATCH_EVALUATION_REASON', JSON.stringify(eu));
    assert((await term('Value').textContent()) === 'false', 'summary: false');
    assert((await term('Matched').textContent()) === 'Yes', 'segment rollout matched');
    const us = await evaluate({ region: 'us' });
    const want = await direct('boolean', { namespaceKey: NS, flagKey: 'killswitch', entityId: 'user-2', context: { region: 'us' } });
    assert(us.enabled === true && us.reason === want.reason && want.enabled === true, JSON.stringify(us));
    assert((await term('Value').textContent()) === 'true', 'summary: true');
  });

  await step('E2E-53 invalid contexts are rejected; numbers and booleans are converted; New Entity ID', async () => {
    await page.goto(`${origin}/namespaces/${NS}/console`);
    await lbl('Flag Key').selectOption('pricing');
    const evaluateBtn = page.getByRole('button', { name: 'Evaluate', exact: true });
    for (const bad of ['["plan"]', '{"plan": {"tier": "pro"}}', '{"plan": null}', '{"plan": ["pro"]}', '{"plan": ']) {
      await lbl('Request Context').fill(bad);
      await page.getByText('Must be valid context value', { exact: true }).waitFor();
      assert(await evaluateBtn.isDisabled(), `Evaluate disabled for ${bad}`);
      assert((await copyMenu().getAttribute('aria-disabled')) === 'true', `Copy disabled for ${bad}`);
      assert((await lbl('Request Context').getAttribute('aria-invalid')) === 'true', 'editor marked invalid');
    }
    // Typed naturally: converted with a note, and sent as strings.
    await lbl('Request Context').fill('{"plan": "pro", "seats": 2, "beta": true}');
    await page.getByText('Converted to strings: seats, beta', { exact: false }).waitFor();
    assert(!(await evaluateBtn.isDisabled()), 'Evaluate enabled after conversion');
    const res = await evaluate();
    assert(res.match === true && res.variantKey === 'treatment', `numeric seats matched as a string: ${JSON.stringify(res)}`);
    const json = JSON.parse(await copyAs('JSON Body'));
    assert(JSON.stringify(json.context) === JSON.stringify({ plan: 'pro', seats: '2', beta: 'true' }), JSON.stringify(json));
    await page.getByRole('button', { name: 'Rewrite as strings' }).click();
    assert(JSON.parse(await lbl('Request Context').inputValue()).seats === '2', 'rewritten as strings');
    // Entity id: required, and "New Entity ID" makes a fresh UUID.
    const before = await lbl('Entity ID').inputValue();
    await page.getByRole('button', { name: 'New Entity ID' }).click();
    const after = await lbl('Entity ID').inputValue();
    assert(after !== before && /^[0-9a-f-]{36}$/.test(after), `${before} -> ${after}`);
    await lbl('Entity ID').fill('');
    assert(await evaluateBtn.isDisabled(), 'Evaluate disabled without an entity id');
  });

  await step('E2E-54 Copy: curl, Flipt CLI, HTTP request and JSON body (bearer placeholder with auth)', async () => {
    await page.goto(`${origin}/namespaces/${NS}/console`);
    await lbl('Flag Key').selectOption('pricing');
    await lbl('Entity ID').fill('user-3');
    await lbl('Request Context').fill('{"plan": "pro", "seats": "5"}');
    const curl = await copyAs('Curl Request');
    assert(curl.includes(`'${origin}/evaluate/v1/variant'`) && !curl.includes('Authorization'), curl);
    const viaCurl = JSON.parse(execFileSync('sh', ['-c', curl], { encoding: 'utf8' }));
    assert(viaCurl.match === true && viaCurl.variantKey === 'treatment', JSON.stringify(viaCurl));
    const cli = await copyAs('Flipt CLI');
    assert(
      cli === `flipt evaluate pricing --address ${origin} --namespace ${NS} --entity-id user-3 --context plan=pro --context seats=5`,
      cli,
    );
    const http = await copyAs('HTTP Request');
    assert(http.startsWith('POST /evaluate/v1/variant HTTP/1.1\n'), http);
    assert(http.includes(`\nHost: ${new URL(origin).host}\n`), http);
    const json = JSON.parse(await copyAs('JSON Body'));
    assert(json.flagKey === 'pricing' && json.entityId === 'user-3' && json.namespaceKey === NS, JSON.stringify(json));

    // With an authentication method enabled, the commands carry placeholders for the token.
    await page.route('**/auth/v1/method', (route) =>
      route.fulfill({ contentType: 'application/json', body: JSON.stringify({ methods: [{ method: 'METHOD_TOKEN', enabled: true }] }) }),
    );
    try {
      await page.reload();
      await lbl('Flag Key').selectOption('killswitch');
      const authCurl = await copyAs('Curl Request');
      assert(authCurl.includes("-H 'Authorization: Bearer <api-token>'") && authCurl.includes('/evaluate/v1/boolean'), authCurl);
      assert((await copyAs('Flipt CLI')).endsWith("--token '<api-token>'"), 'CLI token placeholder');
      assert((await copyAs('HTTP Request')).includes('\nAuthorization: Bearer <api-token>\n'), 'HTTP bearer');
    } finally {
      await page.unroute('**/auth/v1/method');
    }
  });

  await step('E2E-55 switching namespace resets the form; opening from a flag preselects it; history re-runs', async () => {
    await page.goto(`${origin}/namespaces/${NS}/flags/pricing`);
    await heading('Pricing');
    await page.getByRole('link', { name: 'Evaluate' }).click();
    await heading('Console');
    assert(path() === `/namespaces/${NS}/console?flag=pricing`, path());
    assert((await lbl('Flag Key').inputValue()) === 'pricing', 'flag preselected');
    // Contexts evaluated earlier for this flag are remembered in this browser.
    const recent = page.getByRole('list', { name: 'Recent contexts' });
    await recent.getByText('{"plan":"pro","seats":"2","beta":"true"}').waitFor();
    await lbl('Entity ID').fill('user-4');
    await recent.getByRole('button', { name: 'Re-run with {"plan":"free","seats":"3"}' }).click();
    await result().waitFor();
    assert(JSON.parse(await lbl('Request Context').inputValue()).plan === 'free', 'history fills the editor');
    assert((await term('Matched').textContent()) === 'No', 're-run evaluated the remembered context');
    // The most recent context moves to the top.
    assert((await recent.locator('code').first().textContent()) === '{"plan":"free","seats":"3"}', 'most recent first');

    await lbl('Request Context').fill('{"plan": "pro"}');
    await lbl('Namespace').selectOption('console-other');
    await page.waitForURL(/\/namespaces\/console-other\/console/);
    await heading('Console');
    assert((await lbl('Flag Key').inputValue()) === '', 'flag reset');
    assert((await lbl('Request Context').inputValue()) === '{}', 'context reset');
    await page.getByText('Enter a flag, an entity id and optional context').waitFor();
    assert((await result().count()) === 0, 'result cleared');
  });

  await step('E2E-56 the console reflects a change saved a moment earlier', async () => {
    await page.goto(`${origin}/namespaces/${NS}/console?flag=pricing`);
    await lbl('Entity ID').fill('user-5');
    assert((await evaluate({ plan: 'pro', seats: '1' })).variantKey === 'treatment', 'before the change');
    // Point the rule at "control" and evaluate straight away: no stale answer.
    const rules = (await ok('GET', `${P}/flags/pricing/rules`)).rules;
    const flag = await ok('GET', `${P}/flags/pricing`);
    const control = flag.variants.find((v) => v.key === 'control');
    const dist = rules[0].distributions[0];
    await ok('PUT', `${P}/flags/pricing/rules/${rules[0].id}/distributions/${dist.id}`, { variantId: control.id, rollout: 100 });
    assert((await evaluate()).variantKey === 'control', 'distribution change seen at once');
    await ok('PUT', `${P}/flags/pricing`, { name: 'Pricing', enabled: false });
    const off = await evaluate();
    assert(off.reason === 'FLAG_DISABLED_EVALUATION_REASON', JSON.stringify(off));
    assert((await term('Reason').textContent()) === 'The flag is disabled.', 'reason in words');
    await ok('PUT', `${P}/flags/pricing`, { name: 'Pricing', enabled: true });
    assert((await evaluate()).match === true, 're-enabled');
  });

  await step('console: a server without evaluation (server.role: write) gets a clear message', async () => {
    // What flipt-write answers on /evaluate/v1/* when it runs with server.role: write.
    await page.route('**/evaluate/v1/*', (route) =>
      route.fulfill({ status: 404, contentType: 'application/json', body: JSON.stringify({ code: 5, message: 'Not Found', details: [] }) }),
    );
    try {
      await page.goto(`${origin}/namespaces/${NS}/console?flag=pricing`);
      await page.getByRole('button', { name: 'Evaluate', exact: true }).click();
      await page.getByTestId('console-error').filter({ hasText: 'error: Not Found' }).waitFor();
      await page.getByTestId('console-unavailable').getByText('server.role: write').waitFor();
    } finally {
      await page.unroute('**/evaluate/v1/*');
    }
    // An unknown flag is an ordinary error, not "evaluation unavailable".
    await page.route('**/evaluate/v1/*', (route) =>
      route.fulfill({ status: 404, contentType: 'application/json', body: JSON.stringify({ code: 5, message: `flag "${NS}/pricing" not found` }) }),
    );
    try {
      await page.getByRole('button', { name: 'Evaluate', exact: true }).click();
      await page.getByTestId('console-error').filter({ hasText: 'not found' }).waitFor();
      assert((await page.getByTestId('console-unavailable').count()) === 0, 'no role hint for a missing flag');
    } finally {
      await page.unroute('**/evaluate/v1/*');
    }
  });

  await step('console: accessibility in light and dark theme', async () => {
    await page.goto(`${origin}/namespaces/${NS}/console?flag=pricing`);
    await lbl('Entity ID').fill('user-6');
    await evaluate({ plan: 'pro', seats: 2 });
    await copyAs('Flipt CLI');
    await axeScan('console with result');
    await lbl('Request Context').fill('{"plan": []}');
    await axeScan('console with invalid context');
    await setTheme('light');
  });

  await step('E2E-60 analytics tab: disabled notice with the docs link; tabs per flag type', async () => {
    const meta = (await api('GET', '/meta/info')).body;
    assert(meta.analytics && meta.analytics.enabled !== true, JSON.stringify(meta.analytics));
    await page.goto(`${origin}/namespaces/${NS}/flags/pricing`);
    await heading('Pricing');
    const tabs = page.getByRole('navigation', { name: 'Flag sections' }).getByRole('link');
    assert((await tabs.allTextContents()).join() === 'Variants,Rules,Analytics', (await tabs.allTextContents()).join());
    await tabs.filter({ hasText: 'Analytics' }).click();
    await page.waitForURL(`**/namespaces/${NS}/flags/pricing/analytics`);
    const box = page.getByTestId('analytics-disabled');
    await box.getByText('Analytics Disabled', { exact: true }).waitFor();
    const docs = box.getByRole('link', { name: /analytics configuration/ });
    assert((await docs.getAttribute('href')) === 'https://docs.flipt.io/v1/configuration/analytics', await docs.getAttribute('href'));
    await axeScan('analytics tab');
    await page.goto(`${origin}/namespaces/${NS}/flags/killswitch/analytics`);
    await heading('Kill Switch');
    assert((await tabs.allTextContents()).join() === 'Rollouts,Analytics', (await tabs.allTextContents()).join());
    await page.getByTestId('analytics-disabled').waitFor();
  });

  await step('E2E-46 copy a segment with its constraints to another namespace', async () => {
    await page.goto(`${origin}/namespaces/${NS}/segments/pro-users`);
    await heading('pro users');
    await page.locator('summary', { hasText: 'Actions' }).click();
    await page.getByRole('button', { name: 'Copy to Namespace' }).click();
    const dlg = page.getByRole('dialog', { name: 'Copy Segment' });
    await dlg.getByLabel('Target namespace').selectOption('console-copy');
    await dlg.getByRole('button', { name: 'Copy' }).click();
    await toast('Successfully copied segment');
    await page.waitForURL('**/namespaces/console-copy/segments/pro-users');
    await heading('pro users');
    const strip = (s) => s.constraints.map((c) => [c.type, c.property, c.operator, c.value, c.description].join('|'));
    const source = await ok('GET', `${P}/segments/pro-users`);
    const copied = await ok('GET', '/api/v1/namespaces/console-copy/segments/pro-users');
    assert(copied.name === source.name && copied.matchType === source.matchType, JSON.stringify(copied));
    assert(strip(copied).join() === strip(source).join() && copied.constraints.length === 2, JSON.stringify(copied.constraints));
    await page.getByRole('cell', { name: 'seats', exact: true }).waitFor();
    // Duplicate inside the same namespace under a new key; a taken key is refused in the dialog.
    await page.locator('summary', { hasText: 'Actions' }).click();
    await page.getByRole('button', { name: 'Copy to Namespace' }).click();
    await dlg.getByLabel('Target namespace').selectOption('console-copy');
    await dlg.getByText('Required to duplicate within the same namespace.').waitFor();
    assert(await dlg.getByRole('button', { name: 'Copy' }).isDisabled(), 'same key in the same namespace blocked');
    await dlg.getByLabel('New key').fill('pro-users');
    await dlg.getByText('Choose a new key to copy the segment within the same namespace').waitFor();
    await dlg.getByLabel('New key').fill('pro-users-2');
    await dlg.getByRole('button', { name: 'Copy' }).click();
    await toast('Successfully copied segment');
    await page.waitForURL('**/namespaces/console-copy/segments/pro-users-2');
    await page.goto(`${origin}/namespaces/${NS}/segments/pro-users`);
    await page.locator('summary', { hasText: 'Actions' }).click();
    await page.getByRole('button', { name: 'Copy to Namespace' }).click();
    await dlg.getByLabel('Target namespace').selectOption('console-copy');
    await dlg.getByRole('button', { name: 'Copy' }).click();
    await dlg.getByRole('alert').filter({ hasText: 'segment "console-copy/pro-users" is not unique' }).waitFor();
    await dlg.getByRole('button', { name: 'Cancel' }).click();
  });

  await step('console: clean up the namespaces of this flow', async () => {
    for (const f of ['pricing', 'killswitch']) await ok('DELETE', `${P}/flags/${f}`);
    await ok('DELETE', '/api/v1/namespaces/console-other/flags/elsewhere');
    for (const s of ['pro-users', 'eu-users']) await ok('DELETE', `${P}/segments/${s}`);
    for (const s of ['pro-users', 'pro-users-2']) await ok('DELETE', `/api/v1/namespaces/console-copy/segments/${s}`);
    for (const key of namespaces) await ok('DELETE', `/api/v1/namespaces/${key}`);
    await page.evaluate(() => {
      for (const k of Object.keys(localStorage)) if (k.startsWith('flipt.console.history:console-')) localStorage.removeItem(k);
    });
  });
}
