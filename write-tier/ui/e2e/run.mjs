// Browser test of the dashboard against the real write tier.
//
// Starts target/debug/flipt-write on free ports with a fresh SQLite database, drives the
// dashboard with Debian's Chromium through playwright-core, checks accessibility with axe-core
// in light and dark theme, and saves screenshots to docs/images/. Exits non-zero on failure.
//
// Env: FLIPT_WRITE_BIN (default <repo>/target/debug/flipt-write), CHROMIUM (default
// /usr/bin/chromium), E2E_SCREENSHOTS=0 to skip writing screenshots.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync, readFileSync, existsSync, readdirSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../..');
const bin =
  process.env.FLIPT_WRITE_BIN ??
  join(process.env.CARGO_TARGET_DIR ?? join(repo, 'target'), 'debug/flipt-write');
const chromePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const shotsDir = join(repo, 'docs/images');
const axeSource = readFileSync(join(here, '../node_modules/axe-core/axe.min.js'), 'utf8');

let passed = 0;
let failed = 0;
const cleanups = [];

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

async function waitHealthy(url, proc, timeoutMs = 30000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (proc.exitCode !== null) throw new Error(`flipt-write exited with ${proc.exitCode}`);
    try {
      const r = await fetch(`${url}/health`);
      if (r.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('flipt-write did not become healthy');
}

// E2E_ONLY=<text>: run only the flows of e2e/flows/ whose file name contains <text> (for quick
// iteration on one area; CI runs everything).
const only = process.env.E2E_ONLY;

async function step(name, fn, { flow = false } = {}) {
  if (only && !flow) return;
  const t = Date.now();
  try {
    await fn();
    passed++;
    console.log(`ok   ${name} (${Date.now() - t} ms)`);
  } catch (err) {
    failed++;
    if (globalThis.__page) await globalThis.__page.screenshot({ path: join(tmpdir(), `flipt-e2e-fail-${failed}.png`) }).catch(() => {});
    console.log(`FAIL ${name}\n     ${String(err?.stack ?? err).split('\n').slice(0, 6).join('\n     ')}`);
  }
}

function assert(cond, msg) {
  if (!cond) throw new Error(`assertion failed: ${msg}`);
}

async function main() {
  if (!existsSync(bin)) throw new Error(`${bin} not found: run cargo build -p flipt-write first`);
  if (!existsSync(chromePath)) throw new Error(`${chromePath} not found: apt-get install -y chromium`);
  const tmp = mkdtempSync(join(tmpdir(), 'flipt-ui-e2e-'));
  cleanups.push(() => rmSync(tmp, { recursive: true, force: true }));
  const [httpPort, grpcPort] = [await freePort(), await freePort()];
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('FLIPT_')));
  Object.assign(env, {
    FLIPT_DB_URL: `file:${join(tmp, 'e2e.db')}`,
    FLIPT_SERVER_HTTP_PORT: String(httpPort),
    FLIPT_SERVER_GRPC_PORT: String(grpcPort),
  });
  const server = spawn(bin, [], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let serverLog = '';
  server.stderr.on('data', (d) => (serverLog = (serverLog + d).slice(-4000)));
  cleanups.push(() => server.kill('SIGTERM'));
  const origin = `http://127.0.0.1:${httpPort}`;
  await waitHealthy(origin, server);

  // A reverse proxy that serves the dashboard under /flipt/ (prefix stripped), as operators do.
  const proxy = createServer((req, res) => {
    if (!req.url.startsWith('/flipt/')) {
      res.writeHead(404).end();
      return;
    }
    const up = httpRequest(
      { host: '127.0.0.1', port: httpPort, path: req.url.slice('/flipt'.length), method: req.method, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode, r.headers);
        r.pipe(res);
      },
    );
    req.pipe(up);
  });
  const proxyPort = await freePort();
  await new Promise((r) => proxy.listen(proxyPort, '127.0.0.1', r));
  cleanups.push(() => proxy.close());

  const userDataDir = join(tmp, 'chromium-profile');
  mkdirSync(userDataDir);
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 860 },
  });
  cleanups.unshift(() => context.close());
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(10000);
  globalThis.__page = page;
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));

  const api = async (method, path, body) => {
    const r = await fetch(`${origin}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: r.status, body: await r.json().catch(() => null) };
  };
  const toast = (text) => page.getByRole('status').filter({ hasText: text }).first().waitFor();
  // Fields inside the open dialog when there is one, else on the page.
  const scoped = () => page.locator('dialog[open], body:not(:has(dialog[open]))').first();
  const lbl = (text) => scoped().getByLabel(text, { exact: true });
  const heading = (name) => page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
  const path = () => new URL(page.url()).pathname + new URL(page.url()).search;
  const shot = async (name, scrollTo) => {
    if (process.env.E2E_SCREENSHOTS === '0') return;
    mkdirSync(shotsDir, { recursive: true });
    await page.getByRole('status').getByRole('button', { name: 'Dismiss' }).click().catch(() => {});
    if (scrollTo) await scrollTo.evaluate((e) => e.scrollIntoView({ block: 'start' }));
    else await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(shotsDir, `${name}.png`) });
  };
  const setTheme = async (theme) => {
    await page.getByLabel('Theme', { exact: true }).first().selectOption(theme);
    await page.waitForFunction((t) => document.documentElement.dataset.theme === t, theme);
  };
  const axeScan = async (label) => {
    for (const theme of ['light', 'dark']) {
      await setTheme(theme);
      await page.evaluate(axeSource);
      const result = await page.evaluate(async () => {
        // eslint-disable-next-line no-undef
        const r = await axe.run(document, { resultTypes: ['violations'] });
        return r.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
      });
      assert(result.length === 0, `axe ${label} [${theme}]: ${result.join('; ')}`);
    }
    await setTheme('light');
  };

  await step('E2E-02 first visit shows onboarding; "Continue to Dashboard" lands on flags; later visits skip it', async () => {
    await page.goto(`${origin}/`);
    await heading('Onboarding');
    assert((await page.locator('.tile').count()) === 8, 'eight tiles');
    await page.getByRole('button', { name: 'Continue to Dashboard' }).click();
    await heading('Flags');
    assert(path() === '/namespaces/default/flags', path());
    assert((await page.title()) === 'Flipt · default', await page.title());
    await page.goto(`${origin}/`);
    await heading('Flags');
    assert(path() === '/namespaces/default/flags', path());
    await page.goto(`${origin}/onboarding`);
    await heading('Onboarding');
    assert((await page.getByRole('button', { name: 'Continue to Dashboard' }).count()) === 0, 'no continue button');
    await axeScan('onboarding');
    await page.goto(`${origin}/`);
    await heading('Flags');
  });

  await step('security headers on the app shell', async () => {
    const r = await fetch(`${origin}/namespaces/default/flags`);
    assert(r.headers.get('x-content-type-options') === 'nosniff', 'nosniff');
    assert(r.headers.get('x-frame-options') === 'DENY', 'frame');
    assert(/script-src 'self'/.test(r.headers.get('content-security-policy') ?? ''), 'csp');
    const nf = await fetch(`${origin}/api/v1/does-not-exist`);
    assert(nf.status === 404 && (await nf.json()).code === 5, 'gateway 404 kept');
  });

  await step('namespaces: create and edit in Settings', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await heading('Settings');
    await page.getByRole('link', { name: 'Namespaces' }).click();
    assert(path() === '/settings/namespaces', path());
    await page.getByRole('button', { name: 'New Namespace' }).click();
    await lbl('Name').fill('E2E Space');
    assert((await lbl('Key').inputValue()) === 'E2E-Space', 'key follows name');
    await lbl('Description').fill('created by the browser test');
    await scoped().getByRole('button', { name: 'Create' }).click();
    await toast('Successfully created namespace.');
    await page.getByRole('button', { name: 'E2E Space, edit' }).click();
    assert(await lbl('Key').isDisabled(), 'key disabled when editing');
    await lbl('Name').fill('E2E Space Renamed');
    await scoped().getByRole('button', { name: 'Update' }).click();
    await toast('Successfully updated namespace.');
    const ns = await api('GET', '/api/v1/namespaces/E2E-Space');
    assert(ns.body.name === 'E2E Space Renamed', JSON.stringify(ns.body));
    await page.getByRole('button', { name: 'E2E Space Renamed, edit' }).waitFor();
    await shot('dashboard-namespaces');
    await axeScan('settings/namespaces');
  });

  await step('namespace switcher rewrites the URL on list pages', async () => {
    await page.getByRole('link', { name: 'Flags' }).click();
    await heading('Flags');
    await lbl('Namespace').selectOption('E2E-Space');
    await page.waitForURL('**/namespaces/E2E-Space/flags');
  });

  await step('flags: create, edit (PUT full replacement)', async () => {
    await page.getByText('Flags let you control').waitFor();
    await page.getByRole('link', { name: 'New Flag', exact: true }).click();
    await heading('New Flag');
    assert(await lbl('Namespace').isDisabled(), 'switcher disabled on new page');
    await lbl('Name').fill('Checkout V2');
    assert((await lbl('Key').inputValue()) === 'Checkout-V2', 'flag key follows name');
    await scoped().getByRole('button', { name: 'Create' }).click();
    await toast('Successfully created flag');
    await page.waitForURL('**/namespaces/E2E-Space/flags/Checkout-V2');
    await heading('Checkout V2');
    await lbl('Description').fill('new checkout');
    await page.getByRole('switch', { name: 'Enabled' }).check();
    await scoped().getByRole('button', { name: 'Update' }).click();
    await toast('Successfully updated flag');
    const f = await api('GET', '/api/v1/namespaces/E2E-Space/flags/Checkout-V2');
    assert(f.body.enabled === true && f.body.description === 'new checkout', JSON.stringify(f.body));
  });

  await step('variants: create with validated JSON attachment, edit, delete', async () => {
    await page.getByRole('button', { name: 'New Variant' }).click();
    await lbl('Key').fill('blue');
    await lbl('Attachment').fill('{"color": ');
    await lbl('Name').click();
    await page.getByText('Must be valid JSON').waitFor();
    assert(await scoped().getByRole('button', { name: 'Create' }).isDisabled(), 'create disabled on bad JSON');
    await lbl('Attachment').fill('{"color": "blue"}');
    await scoped().getByRole('button', { name: 'Create' }).click();
    await toast('Successfully created variant.');
    await page.getByRole('button', { name: 'New Variant' }).click();
    await lbl('Key').fill('red');
    await scoped().getByRole('button', { name: 'Create' }).click();
    await toast('Successfully created variant.');
    await page.getByRole('button', { name: 'Edit, blue' }).click();
    assert((await lbl('Attachment').inputValue()).includes('"color": "blue"'), 'pretty attachment');
    await lbl('Name').fill('Blue');
    await scoped().getByRole('button', { name: 'Update' }).click();
    await toast('Successfully updated variant.');
    await page.getByRole('button', { name: 'Delete, red' }).click();
    await page.getByRole('dialog', { name: 'Delete Variant' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Delete, red' }).waitFor({ state: 'detached' });
    const f = await api('GET', '/api/v1/namespaces/E2E-Space/flags/Checkout-V2');
    assert(f.body.variants.length === 1 && f.body.variants[0].name === 'Blue', JSON.stringify(f.body.variants));
    assert(f.body.variants[0].attachment === '{"color":"blue"}', f.body.variants[0].attachment);
    assert(f.body.enabled === true, 'variant edits keep the flag');
    await shot('dashboard-flag-detail');
    await axeScan('flag detail');
  });

  await step('flags list: search in the URL, deep link and back button', async () => {
    await api('POST', '/api/v1/namespaces/E2E-Space/flags', { key: 'other', name: 'Other Flag', type: 'BOOLEAN_FLAG_TYPE' });
    await page.goto(`${origin}/namespaces/E2E-Space/flags`);
    await lbl('Search').fill('check');
    await page.waitForURL('**/flags?q=check');
    await page.getByRole('link', { name: /Other Flag/ }).waitFor({ state: 'detached' });
    await page.getByRole('link', { name: /Checkout V2/ }).click();
    await heading('Checkout V2');
    await page.goBack();
    await page.waitForURL('**/flags?q=check');
    assert((await lbl('Search').inputValue()) === 'check', 'search restored');
    await lbl('Search').fill('');
    await page.getByRole('link', { name: /Other Flag/ }).waitFor();
    await shot('dashboard-flags');
    await axeScan('flags list');
    // Deep link straight into a flag (fresh load).
    await page.goto(`${origin}/namespaces/E2E-Space/flags/other`);
    await heading('Other Flag');
    await page.getByRole('switch', { name: 'Default Value' }).waitFor();
    assert((await page.title()).startsWith('other · Flags'), await page.title());
    // Unknown flag and unknown page.
    await page.goto(`${origin}/namespaces/E2E-Space/flags/missing`);
    await page.getByText('The flag "missing" does not exist').waitFor();
    await page.goto(`${origin}/no/such/page`);
    await heading('Not Found');
    // Legacy hash URL.
    await page.goto(`${origin}/#/namespaces/E2E-Space/flags`);
    await page.waitForURL('**/namespaces/E2E-Space/flags');
  });

  await step('segments: create, edit, constraints CRUD with type-dependent operators', async () => {
    await page.goto(`${origin}/namespaces/E2E-Space/segments`);
    await heading('Segments');
    await page.getByRole('link', { name: 'New Segment', exact: true }).click();
    await lbl('Name').fill('Beta Users');
    await scoped().getByRole('button', { name: 'Create' }).click();
    await toast('Successfully created segment');
    await page.waitForURL('**/segments/Beta-Users');
    await page.getByRole('radio', { name: 'Any' }).check();
    await scoped().getByRole('button', { name: 'Update' }).click();
    await toast('Successfully updated segment');

    await page.getByRole('button', { name: 'New Constraint' }).click();
    await lbl('Property').fill('email');
    await lbl('Operator').selectOption({ label: 'HAS SUFFIX' });
    await lbl('Value').fill('@example.com');
    await scoped().getByRole('button', { name: 'Create' }).click();
    await toast('Successfully created constraint');

    await page.getByRole('button', { name: 'New Constraint' }).click();
    await lbl('Type').selectOption({ label: 'Number' });
    const numberOps = await lbl('Operator').locator('option').allTextContents();
    assert(numberOps.includes('>') && !numberOps.includes('HAS PREFIX'), numberOps.join(','));
    await lbl('Property').fill('age');
    await lbl('Operator').selectOption({ label: 'IS ONE OF' });
    await lbl('Values').fill('18');
    await lbl('Values').press('Enter');
    await lbl('Values').fill('21');
    await page.getByRole('button', { name: 'Add' }).click();
    await lbl('Values').fill('18');
    await lbl('Values').press('Enter');
    await scoped().getByRole('button', { name: 'Create' }).click();
    await toast('Successfully created constraint');

    await page.getByRole('button', { name: 'New Constraint' }).click();
    await lbl('Type').selectOption({ label: 'Boolean' });
    assert((await lbl('Operator').inputValue()) === 'true', 'boolean resets to TRUE');
    assert((await lbl('Value').count()) === 0, 'no value for TRUE');
    await lbl('Property').fill('beta');
    await scoped().getByRole('button', { name: 'Create' }).click();
    await toast('Successfully created constraint');

    await page.getByRole('button', { name: 'Edit, email' }).click();
    await lbl('Value').fill('@example.org');
    await scoped().getByRole('button', { name: 'Update' }).click();
    await toast('Successfully updated constraint');

    await page.getByRole('button', { name: 'Delete, beta' }).click();
    await page.getByRole('dialog', { name: 'Delete Constraint' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Delete, beta' }).waitFor({ state: 'detached' });

    const s = await api('GET', '/api/v1/namespaces/E2E-Space/segments/Beta-Users');
    assert(s.body.matchType === 'ANY_MATCH_TYPE', s.body.matchType);
    const byProp = Object.fromEntries(s.body.constraints.map((c) => [c.property, c]));
    assert(Object.keys(byProp).sort().join() === 'age,email', Object.keys(byProp).join());
    assert(byProp.email.operator === 'suffix' && byProp.email.value === '@example.org', JSON.stringify(byProp.email));
    assert(byProp.age.operator === 'isoneof' && JSON.parse(byProp.age.value).join() === '18,21', byProp.age.value);
    await shot('dashboard-segment-detail');
    await axeScan('segment detail');
  });

  await step('segments list and delete segment', async () => {
    await page.getByRole('link', { name: 'Segments' }).click();
    await page.getByRole('link', { name: /Beta Users/ }).getByText('Used by 0 flags', { exact: true }).waitFor();
    await axeScan('segments list');
    await page.getByRole('link', { name: /Beta Users/ }).click();
    await page.getByText('No flag uses this segment; it can be deleted safely.').waitFor();
    await page.locator('summary', { hasText: 'Actions' }).click();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('dialog', { name: 'Delete Segment' }).getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL('**/namespaces/E2E-Space/segments');
    const s = await api('GET', '/api/v1/namespaces/E2E-Space/segments/Beta-Users');
    assert(s.status === 404, `segment still there: ${s.status}`);
  });

  // Polls `fn` until it returns a truthy value (API state after an optimistic UI change).
  const eventually = async (fn, what, timeoutMs = 5000) => {
    const end = Date.now() + timeoutMs;
    let last;
    while (Date.now() < end) {
      last = await fn();
      if (last) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}`);
  };
  const NS = '/api/v1/namespaces/E2E-Space';
  const ruleIds = async (flag) => (await api('GET', `${NS}/flags/${flag}/rules`)).body.rules.map((r) => r.id);
  const rolloutIds = async (flag) => (await api('GET', `${NS}/flags/${flag}/rollouts`)).body.rules.map((r) => r.id);
  const domIds = (noun) => page.getByTestId(`${noun}-card`).evaluateAll((els) => els.map((e) => e.dataset.id));
  const sameOrder = (a, b) => a.join() === b.join();
  // Drags card `from` onto card `to` by its header. Quick-edit forms make cards tall, and
  // Playwright's synthetic drag does not auto-scroll, so both cards are brought into one tall
  // viewport for the gesture.
  const dragCard = async (cards, from, to) => {
    const size = page.viewportSize();
    await page.setViewportSize({ width: size.width, height: 3200 });
    try {
      await cards.nth(from).locator('.card-head').dragTo(cards.nth(to).locator('.card-head'));
    } finally {
      await page.setViewportSize(size);
    }
  };

  await step('rules: create with two segments (AND) and a 50/50 split; console agrees with the API', async () => {
    await api('POST', `${NS}/flags`, { key: 'pricing', name: 'Pricing', type: 'VARIANT_FLAG_TYPE', enabled: true });
    for (const key of ['control', 'treatment']) await api('POST', `${NS}/flags/pricing/variants`, { key });
    for (const [key, prop, value] of [['pro-users', 'plan', 'pro'], ['eu-users', 'region', 'eu']]) {
      await api('POST', `${NS}/segments`, { key, name: key.replace('-', ' '), matchType: 'ALL_MATCH_TYPE' });
      await api('POST', `${NS}/segments/${key}/constraints`, { type: 'STRING_COMPARISON_TYPE', property: prop, operator: 'eq', value });
    }
    await page.goto(`${origin}/namespaces/E2E-Space/flags/pricing/rules`);
    await page.getByRole('heading', { name: 'Rules', level: 2 }).waitFor();
    await page.getByRole('button', { name: 'New Rule' }).click();
    const create = scoped().getByRole('button', { name: 'Create' });
    assert(await create.isDisabled(), 'create needs a segment');
    await lbl('Segment').selectOption('pro-users');
    await scoped().getByRole('button', { name: 'Add segment' }).click();
    await lbl('Segment 2').selectOption('eu-users');
    await scoped().getByRole('radio', { name: 'AND (ALL Segments)' }).check();
    await scoped().getByRole('radio', { name: 'Multi-Variate' }).check();
    assert((await lbl('control').inputValue()) === '50' && (await lbl('treatment').inputValue()) === '50', 'even split');
    await lbl('treatment').fill('60');
    await scoped().getByText('Multi-variate rules must have distributions that add up to 100% or less.').waitFor();
    assert(await create.isDisabled(), 'over 100 blocks creation');
    await scoped().getByRole('button', { name: 'Distribute evenly' }).click();
    await scoped().getByText('Total: 100%').waitFor();
    await create.click();
    await toast('Successfully created rule');
    const rules = (await api('GET', `${NS}/flags/pricing/rules`)).body.rules;
    assert(rules.length === 1, JSON.stringify(rules));
    const r = rules[0];
    assert([...r.segmentKeys].sort().join() === 'eu-users,pro-users' && r.segmentOperator === 'AND_SEGMENT_OPERATOR', JSON.stringify(r));
    assert(r.distributions.length === 2 && r.distributions.every((d) => d.rollout === 50), JSON.stringify(r.distributions));
    assert(await page.getByTestId('rule-card').getByRole('radio', { name: 'AND (ALL Segments)' }).isChecked(), 'card shows AND');
    await shot('dashboard-rules', page.getByRole('navigation', { name: 'Flag sections' }));
    await axeScan('rules tab');

    // Console: same request as a direct API call must give the same answer.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    await page.getByRole('link', { name: 'Evaluate' }).click();
    await heading('Console');
    assert((await lbl('Flag Key').inputValue()) === 'pricing', 'flag preselected from the flag page');
    const before = await lbl('Entity ID').inputValue();
    await page.getByRole('button', { name: /New Entity ID/ }).click();
    assert((await lbl('Entity ID').inputValue()) !== before, 'random entity id');
    await lbl('Entity ID').fill('user-42');
    await lbl('Request Context').fill('{"plan": "pro", "region": "eu"}');
    await page.getByRole('button', { name: 'Evaluate' }).click();
    const shown = JSON.parse(await page.getByTestId('console-result').textContent());
    const body = { namespaceKey: 'E2E-Space', flagKey: 'pricing', entityId: 'user-42', context: { plan: 'pro', region: 'eu' } };
    const direct = (await api('POST', '/evaluate/v1/variant', body)).body;
    assert(shown.match === true && direct.match === true, JSON.stringify(shown));
    for (const k of ['variantKey', 'reason', 'flagKey']) assert(shown[k] === direct[k], `${k}: ${shown[k]} vs ${direct[k]}`);
    assert([...shown.segmentKeys].sort().join() === [...direct.segmentKeys].sort().join(), 'segment keys');
    // Non-matching context.
    await lbl('Request Context').fill('{"plan": "pro", "region": "us"}');
    await page.getByRole('button', { name: 'Evaluate' }).click();
    await page.getByTestId('console-result').filter({ hasText: '"match": false' }).waitFor();
    await lbl('Request Context').fill('{"plan": "pro", "region": "eu"}');
    await page.getByRole('button', { name: 'Evaluate' }).click();
    await page.getByTestId('console-result').filter({ hasText: '"match": true' }).waitFor();
    // Copy as curl: clipboard and read-only field hold a command that really works.
    await page.locator('summary', { hasText: 'Copy' }).click();
    await page.getByRole('button', { name: 'Curl Request' }).click();
    await toast('Command copied to clipboard');
    const cmd = await page.getByTestId('console-copied').inputValue();
    assert(await page.getByTestId('console-copied').evaluate((e) => e.readOnly), 'read-only field');
    const clip = await page.evaluate(() => navigator.clipboard.readText());
    assert(clip === cmd, 'clipboard holds the command');
    assert(cmd.includes(`${origin}/evaluate/v1/variant`) && !cmd.includes('Authorization'), cmd);
    const viaCurl = JSON.parse(execFileSync('sh', ['-c', cmd], { encoding: 'utf8' }));
    assert(viaCurl.variantKey === direct.variantKey && viaCurl.match === true, JSON.stringify(viaCurl));
    await shot('dashboard-console');
    await axeScan('console');
  });

  await step('rules: reorder by keyboard and by drag (persisted, rollback on failure), edit, delete', async () => {
    await api('POST', `${NS}/flags/pricing/rules`, { segmentKeys: ['eu-users'], rank: 2 });
    await api('POST', `${NS}/flags/pricing/rules`, { segmentKeys: ['pro-users'], rank: 3 });
    const [a, b, c] = await ruleIds('pricing');
    await page.goto(`${origin}/namespaces/E2E-Space/flags/pricing/rules`);
    await page.getByRole('button', { name: 'Rule 3, reorder' }).waitFor();
    // Keyboard: Alt+ArrowUp on the second rule.
    await page.getByRole('button', { name: 'Rule 2, reorder' }).focus();
    await page.keyboard.press('Alt+ArrowUp');
    await eventually(async () => sameOrder(await ruleIds('pricing'), [b, a, c]), 'keyboard reorder');
    assert(await page.evaluate((id) => document.activeElement?.getAttribute('data-handle') === id, b), 'focus follows the moved rule');
    await toast('Successfully reordered rules');
    // "Move down" button.
    await page.getByRole('button', { name: 'Move down, rule 2' }).click();
    await eventually(async () => sameOrder(await ruleIds('pricing'), [b, c, a]), 'button reorder');
    await eventually(async () => sameOrder(await domIds('rule'), [b, c, a]), 'dom after button');
    // Drag the first card onto the last.
    const cards = page.getByTestId('rule-card');
    await dragCard(cards, 0, 2);
    await eventually(async () => sameOrder(await ruleIds('pricing'), [c, a, b]), 'drag reorder');
    // A failing order call restores the previous order and shows the error.
    await page.route('**/rules/order', (route) =>
      route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ code: 13, message: 'order failed', details: [] }) }),
    );
    await page.getByRole('button', { name: 'Move down, rule 1' }).click();
    await page.getByRole('alert').filter({ hasText: 'order failed' }).waitFor();
    await page.unroute('**/rules/order');
    await eventually(async () => sameOrder(await domIds('rule'), [c, a, b]), 'rollback');
    assert(sameOrder(await ruleIds('pricing'), [c, a, b]), 'server order unchanged');
    await page.getByRole('alert').getByRole('button', { name: 'Dismiss' }).click();
    // Edit: the multi-variate rule (now 2nd) becomes a single-variant rule.
    await page.getByRole('button', { name: 'Edit rule 2' }).click();
    await scoped().getByRole('radio', { name: 'Single Variant' }).check();
    await lbl('Variant').selectOption({ label: 'treatment' });
    await scoped().getByRole('button', { name: 'Update' }).click();
    await toast('Successfully updated rule');
    const edited = (await api('GET', `${NS}/flags/pricing/rules/${a}`)).body;
    const treatment = (await api('GET', `${NS}/flags/pricing`)).body.variants.find((v) => v.key === 'treatment');
    assert(edited.distributions.length === 1 && edited.distributions[0].rollout === 100, JSON.stringify(edited.distributions));
    assert(edited.distributions[0].variantId === treatment.id, 'single variant saved');
    // Edit segments/operator of rule 1.
    await page.getByRole('button', { name: 'Edit rule 1' }).click();
    await scoped().getByRole('button', { name: 'Add segment' }).click();
    await lbl('Segment 2').selectOption('eu-users');
    await scoped().getByRole('radio', { name: 'AND (ALL Segments)' }).check();
    await scoped().getByRole('button', { name: 'Update' }).click();
    await toast('Successfully updated rule');
    const r1 = (await api('GET', `${NS}/flags/pricing/rules/${c}`)).body;
    assert([...r1.segmentKeys].sort().join() === 'eu-users,pro-users' && r1.segmentOperator === 'AND_SEGMENT_OPERATOR', JSON.stringify(r1));
    // Delete rule 3 with confirmation.
    await page.getByRole('button', { name: 'Delete rule 3' }).click();
    const dlg = page.getByRole('dialog', { name: 'Delete Rule' });
    await dlg.getByText('delete rule 3').waitFor();
    await dlg.getByRole('button', { name: 'Delete' }).click();
    await eventually(async () => sameOrder(await domIds('rule'), [c, a]), 'rule removed');
    assert(sameOrder(await ruleIds('pricing'), [c, a]), 'server removed the rule');
  });

  await step('segment usage: list count, "Used by" section, delete blocked while in use', async () => {
    await page.goto(`${origin}/namespaces/E2E-Space/segments`);
    await page.getByRole('link', { name: /pro users/ }).getByText('Used by 1 flag', { exact: true }).waitFor();
    await page.getByRole('link', { name: /pro users/ }).click();
    await heading('pro users');
    const users = page.getByRole('list', { name: 'Flags using this segment' });
    await users.getByRole('listitem').filter({ hasText: 'pricing' }).getByText('(2 rules)').waitFor();
    await page.locator('summary', { hasText: 'Actions' }).click();
    const del = page.getByRole('button', { name: 'Delete', exact: true });
    assert(await del.isDisabled(), 'delete disabled while in use');
    assert(/^Used by 1 flag/.test((await del.getAttribute('title')) ?? ''), await del.getAttribute('title'));
    await page.keyboard.press('Escape');
    const refused = await api('DELETE', `${NS}/segments/pro-users`);
    assert(refused.status === 400 && /is in use/.test(refused.body?.message), JSON.stringify(refused));
    await shot('dashboard-segment-usage');
    await axeScan('segment usage');
    await users.getByRole('link', { name: 'pricing' }).click();
    await page.waitForURL('**/namespaces/E2E-Space/flags/pricing/rules');
  });

  await step('copy a flag with its rules and segments to another namespace', async () => {
    await page.goto(`${origin}/namespaces/E2E-Space/flags/pricing`);
    await heading('Pricing');
    await page.locator('summary', { hasText: 'Actions' }).click();
    await page.getByRole('button', { name: 'Copy to Namespace' }).click();
    const dlg = page.getByRole('dialog', { name: 'Copy Flag' });
    assert((await dlg.getByLabel('Target namespace').inputValue()) === 'default', 'other namespace preselected');
    // Same namespace needs a new key.
    await dlg.getByLabel('Target namespace').selectOption('E2E-Space');
    assert(await dlg.getByRole('button', { name: 'Copy' }).isDisabled(), 'same namespace needs a new key');
    await dlg.getByLabel('Target namespace').selectOption('default');
    await dlg.getByLabel('New key').fill('pricing-copy');
    await dlg.getByRole('button', { name: 'Copy' }).click();
    await toast('Successfully copied flag');
    await page.waitForURL('**/namespaces/default/flags/pricing-copy');
    await heading('Pricing');
    const D = '/api/v1/namespaces/default';
    const f = (await api('GET', `${D}/flags/pricing-copy`)).body;
    assert(f.variants.map((v) => v.key).sort().join() === 'control,treatment', JSON.stringify(f.variants));
    const src = (await api('GET', `${NS}/flags/pricing/rules`)).body.rules;
    const copied = (await api('GET', `${D}/flags/pricing-copy/rules`)).body.rules;
    assert(copied.length === src.length && copied.length === 2, JSON.stringify(copied));
    const keysOf = (r) => [...(r.segmentKeys?.length ? r.segmentKeys : [r.segmentKey])].sort().join();
    assert(copied.map(keysOf).join('|') === src.map(keysOf).join('|'), `${copied.map(keysOf)} vs ${src.map(keysOf)}`);
    const variantIds = new Set(f.variants.map((v) => v.id));
    assert(copied.every((r) => r.distributions.every((d) => variantIds.has(d.variantId))), 'distributions re-mapped');
    for (const seg of ['pro-users', 'eu-users']) {
      const s = await api('GET', `${D}/segments/${seg}`);
      assert(s.status === 200 && s.body.constraints.length === 1, `${seg}: ${JSON.stringify(s.body)}`);
    }
    // A second copy under the same key is blocked by the dialog's preview, before any write.
    await page.goto(`${origin}/namespaces/E2E-Space/flags/pricing`);
    await page.locator('summary', { hasText: 'Actions' }).click();
    await page.getByRole('button', { name: 'Copy to Namespace' }).click();
    await dlg.getByLabel('New key').fill('pricing-copy');
    await dlg.getByRole('alert').filter({ hasText: 'The namespace default already has a flag with the key pricing-copy' }).waitFor();
    assert(await dlg.getByRole('button', { name: 'Copy' }).isDisabled(), 'a taken key blocks the copy');
    await dlg.getByRole('button', { name: 'Cancel' }).click();
    await dlg.waitFor({ state: 'hidden' });
  });

  await step('rollouts: threshold and segment create, reorder, edit, default value, delete', async () => {
    await api('POST', `${NS}/flags`, { key: 'killswitch', name: 'Kill Switch', type: 'BOOLEAN_FLAG_TYPE', enabled: false });
    await page.goto(`${origin}/namespaces/E2E-Space/flags/killswitch`);
    await page.getByRole('heading', { name: 'Rollouts', level: 2 }).waitFor();
    await page.getByRole('button', { name: 'New Rollout' }).click();
    await lbl('Percentage').fill('30');
    await lbl('Value').selectOption('false');
    await scoped().getByRole('button', { name: 'Create' }).click();
    await toast('Successfully created rollout');
    await page.getByRole('button', { name: 'New Rollout' }).click();
    await scoped().getByRole('radio', { name: 'Segment' }).check();
    await scoped().locator('#rollout-segment').selectOption('pro-users');
    await scoped().getByRole('button', { name: 'Add segment' }).click();
    await lbl('Segment 2').selectOption('eu-users');
    await lbl('Description').fill('pros in the EU');
    await scoped().getByRole('button', { name: 'Create' }).click();
    await toast('Successfully created rollout');
    const list = (await api('GET', `${NS}/flags/killswitch/rollouts`)).body.rules;
    assert(list.length === 2, JSON.stringify(list));
    const [t, s] = list;
    assert(t.threshold.percentage === 30 && t.threshold.value === false, JSON.stringify(t));
    assert([...s.segment.segmentKeys].sort().join() === 'eu-users,pro-users' && s.segment.segmentOperator === 'OR_SEGMENT_OPERATOR', JSON.stringify(s));
    assert(s.segment.value === true && s.description === 'pros in the EU', JSON.stringify(s));
    // Keyboard reorder, then drag back.
    await page.getByRole('button', { name: 'Rollout 2, reorder' }).focus();
    await page.keyboard.press('Alt+ArrowUp');
    await eventually(async () => sameOrder(await rolloutIds('killswitch'), [s.id, t.id]), 'keyboard rollout reorder');
    await toast('Successfully reordered rollouts');
    const cards = page.getByTestId('rollout-card');
    await dragCard(cards, 0, 1);
    await eventually(async () => sameOrder(await rolloutIds('killswitch'), [t.id, s.id]), 'drag rollout reorder');
    await eventually(async () => sameOrder(await domIds('rollout'), [t.id, s.id]), 'dom rollout order');
    // Edit the threshold rollout.
    await page.getByRole('button', { name: 'Edit rollout 1' }).click();
    assert(await scoped().getByRole('radio', { name: 'Segment' }).isDisabled(), 'type fixed on edit');
    await lbl('Percentage').fill('40');
    await lbl('Value').selectOption('true');
    await scoped().getByRole('button', { name: 'Update' }).click();
    await toast('Successfully updated rollout');
    const t2 = (await api('GET', `${NS}/flags/killswitch/rollouts/${t.id}`)).body;
    assert(t2.threshold.percentage === 40 && t2.threshold.value === true, JSON.stringify(t2));
    // The flag's default value is the fallback at the bottom.
    await page.getByRole('switch', { name: 'Fallback value' }).check();
    await toast('Successfully updated flag');
    assert((await api('GET', `${NS}/flags/killswitch`)).body.enabled === true, 'default value saved');
    assert(await page.getByRole('switch', { name: 'Default Value' }).isChecked(), 'flag form follows');
    await axeScan('rollouts tab');
    // Delete rollout 1.
    await page.getByRole('button', { name: 'Delete rollout 1' }).click();
    await page.getByRole('dialog', { name: 'Delete Rollout' }).getByRole('button', { name: 'Delete' }).click();
    await eventually(async () => sameOrder(await domIds('rollout'), [s.id]), 'rollout removed');
    const left = (await api('GET', `${NS}/flags/killswitch/rollouts`)).body.rules;
    assert(left.length === 1 && left[0].id === s.id && left[0].rank === 1, JSON.stringify(left));
    // Clean up for the namespace deletion below.
    for (const f of ['pricing', 'killswitch']) await api('DELETE', `${NS}/flags/${f}`);
    for (const seg of ['pro-users', 'eu-users']) await api('DELETE', `${NS}/segments/${seg}`);
  });

  await step('delete flags (enabled flag needs its key typed) and the namespace', async () => {
    await page.goto(`${origin}/namespaces/E2E-Space/flags/Checkout-V2`);
    await page.locator('summary', { hasText: 'Actions' }).click();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    const dlg = page.getByRole('dialog', { name: 'Delete Flag' });
    assert(await dlg.getByRole('button', { name: 'Delete' }).isDisabled(), 'needs typed key');
    await dlg.getByLabel(/to confirm/).fill('Checkout-V2');
    await dlg.getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL('**/namespaces/E2E-Space/flags');
    await api('DELETE', '/api/v1/namespaces/E2E-Space/flags/other');
    await page.goto(`${origin}/settings/namespaces`);
    await page.getByRole('button', { name: 'Delete, E2E-Space' }).click();
    const nsDlg = page.getByRole('dialog', { name: 'Delete Namespace' });
    await nsDlg.getByLabel(/to confirm/).fill('E2E-Space');
    await nsDlg.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Delete, E2E-Space' }).waitFor({ state: 'detached' });
    assert((await api('GET', '/api/v1/namespaces/E2E-Space')).status === 404, 'namespace deleted');
  });

  await step('server errors show the error toast with the message', async () => {
    await page.getByRole('button', { name: 'New Namespace' }).click();
    await lbl('Name').fill('dup');
    await lbl('Key').fill('default');
    await scoped().getByRole('button', { name: 'Create' }).click();
    await page.getByRole('alert').filter({ hasText: 'namespace "default" is not unique' }).waitFor();
    await page.getByRole('button', { name: 'Close panel' }).click();
  });

  await step('works under a reverse-proxy sub-path', async () => {
    await page.goto(`http://127.0.0.1:${proxyPort}/flipt/namespaces/default/segments`);
    await heading('Segments');
    await page.getByRole('link', { name: 'Flags' }).click();
    await page.waitForURL(`http://127.0.0.1:${proxyPort}/flipt/namespaces/default/flags`);
    await heading('Flags');
  });

  // Further flows live in e2e/flows/*.mjs (run in file-name order). Each exports a default
  // async function that receives the helpers below and creates the data it needs itself.
  const flowsDir = join(here, 'flows');
  const flowFiles = existsSync(flowsDir) ? readdirSync(flowsDir).filter((f) => f.endsWith('.mjs')).sort() : [];
  const ctx = {
    dbPath: join(tmp, 'e2e.db'),
    page, origin, proxyPort, api, toast, scoped, lbl, heading, path, shot, setTheme, axeScan, assert, eventually,
    step: (name, fn) => step(name, fn, { flow: true }),
  };
  for (const file of flowFiles) {
    if (only && !file.includes(only)) continue;
    const mod = await import(pathToFileURL(join(flowsDir, file)).href);
    await mod.default(ctx);
  }

  await step('read-only mode: badge, disabled controls, operator theme and top bar colour', async () => {
    // A boolean flag with both kinds of rollout, to check its cards in read-only mode below.
    await api('POST', '/api/v1/namespaces/default/flags', { key: 'ro-kill', name: 'RO Kill', type: 'BOOLEAN_FLAG_TYPE' });
    await api('POST', '/api/v1/namespaces/default/flags/ro-kill/rollouts', { rank: 1, threshold: { percentage: 30, value: true } });
    await api('POST', '/api/v1/namespaces/default/flags/ro-kill/rollouts', { rank: 2, segment: { segmentKeys: ['pro-users'], value: true } });
    assert((await api('GET', '/api/v1/namespaces/default/flags/ro-kill/rollouts')).body.rules.length === 2, 'rollouts seeded');
    // Restart on the same database with read-only storage (the data from the steps above stays).
    server.kill('SIGTERM');
    await new Promise((r) => (server.exitCode !== null ? r() : server.once('exit', r)));
    const roPort = await freePort();
    const roEnv = {
      ...env,
      FLIPT_SERVER_HTTP_PORT: String(roPort),
      FLIPT_SERVER_GRPC_PORT: String(await freePort()),
      FLIPT_STORAGE_READ_ONLY: 'true',
      FLIPT_UI_DEFAULT_THEME: 'dark',
      FLIPT_UI_TOPBAR_COLOR: '#1e40af',
    };
    const ro = spawn(bin, [], { env: roEnv, stdio: ['ignore', 'ignore', 'pipe'] });
    ro.stderr.on('data', (d) => (serverLog = (serverLog + d).slice(-4000)));
    cleanups.push(() => ro.kill('SIGTERM'));
    const roOrigin = `http://127.0.0.1:${roPort}`;
    await waitHealthy(roOrigin, ro);
    const meta = await (await fetch(`${roOrigin}/meta/info`)).json();
    assert(meta.storage.readOnly === true, JSON.stringify(meta.storage));
    const refused = await fetch(`${roOrigin}/api/v1/namespaces/default/flags`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: 'nope', name: 'nope', type: 'BOOLEAN_FLAG_TYPE' }),
    });
    assert(refused.status === 500 && /read-only/.test((await refused.json()).message), 'server refuses writes');

    // A new origin has no stored theme: the operator default applies.
    await page.goto(`${roOrigin}/namespaces/default/flags`);
    await heading('Flags');
    await page.locator('.topbar').getByText('Read-Only', { exact: true }).waitFor();
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    const bar = await page.locator('.topbar').evaluate((e) => getComputedStyle(e).backgroundColor);
    assert(bar === 'rgb(30, 64, 175)', bar);
    const newFlag = page.getByRole('button', { name: 'New Flag', exact: true });
    assert(await newFlag.isDisabled(), 'New Flag disabled');
    assert((await newFlag.getAttribute('title')) === 'Not allowed in Read-Only mode', 'tooltip');
    assert((await page.getByRole('link', { name: 'New Flag', exact: true }).count()) === 0, 'no New Flag link');
    const switches = page.getByRole('switch', { name: /^(Enabled|Default value), / });
    assert((await switches.count()) > 0, 'quick switches shown');
    for (const sw of await switches.all()) assert(await sw.isDisabled(), 'quick switch disabled');

    // Flag page: form, actions, rules.
    await page.goto(`${roOrigin}/namespaces/default/flags/pricing-copy/rules`);
    await heading('Pricing');
    assert(await lbl('Name').isDisabled(), 'name input disabled');
    assert(await lbl('Description').isDisabled(), 'description input disabled');
    assert(await page.getByRole('switch', { name: 'Enabled' }).isDisabled(), 'enabled switch disabled');
    assert(await page.getByRole('button', { name: 'Update', exact: true }).isDisabled(), 'Update disabled');
    await page.locator('summary', { hasText: 'Actions' }).click();
    assert(await page.getByRole('button', { name: 'Delete', exact: true }).isDisabled(), 'Delete disabled');
    assert(await page.getByRole('button', { name: 'Copy to Namespace' }).isDisabled(), 'Copy disabled');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Edit rule 1' }).waitFor();
    for (const name of ['New Rule', 'Edit rule 1', 'Delete rule 1', 'Move down, rule 1', 'Rule 1, reorder', 'Update rule 1', 'Reset rule 1', 'Update default variant', 'Remove default variant']) {
      assert(await page.getByRole('button', { name }).isDisabled(), `${name} disabled`);
    }
    assert((await page.getByTestId('rule-card').first().locator('.card-head').getAttribute('draggable')) === 'false', 'no drag');
    // Quick-edit inputs on the cards and the Default Rule picker are disabled too (§1.10).
    const firstRule = page.getByTestId('rule-card').first();
    assert(await firstRule.getByLabel('Segment', { exact: true }).isDisabled(), 'rule segment picker disabled');
    assert(await firstRule.getByLabel('Type', { exact: true }).isDisabled(), 'rule type disabled');
    assert(await page.getByLabel('Default Variant', { exact: true }).isDisabled(), 'default variant disabled');
    assert(await page.getByRole('button', { name: 'Add Metadata' }).isDisabled(), 'metadata editor disabled');
    await shot('dashboard-read-only', page.getByRole('navigation', { name: 'Flag sections' }));
    await axeScan('read-only flag rules');

    // Variants, segments and namespaces.
    await page.goto(`${roOrigin}/namespaces/default/flags/pricing-copy`);
    assert(await page.getByRole('button', { name: 'New Variant' }).isDisabled(), 'New Variant disabled');
    assert((await page.getByRole('button', { name: /^Edit, / }).count()) === 0, 'variant Edit hidden');
    await page.goto(`${roOrigin}/namespaces/default/segments`);
    assert(await page.getByRole('button', { name: 'New Segment', exact: true }).isDisabled(), 'New Segment disabled');
    await page.getByRole('link', { name: /pro users/ }).click();
    await heading('pro users');
    assert(await page.getByRole('button', { name: 'New Constraint' }).isDisabled(), 'New Constraint disabled');
    assert((await page.getByRole('button', { name: /^Delete, / }).count()) === 0, 'constraint Delete hidden');
    await page.goto(`${roOrigin}/settings/namespaces`);
    assert(await page.getByRole('button', { name: 'New Namespace' }).isDisabled(), 'New Namespace disabled');
    assert((await page.getByRole('button', { name: /, edit$/ }).count()) === 0, 'namespace edit hidden');

    // Rollouts: every control of every card (quick edit included), the default value and "New Rollout".
    await page.goto(`${roOrigin}/namespaces/default/flags/ro-kill`);
    await heading('RO Kill');
    const cards = page.getByTestId('rollout-card');
    await cards.nth(1).waitFor();
    assert(await page.getByRole('button', { name: 'New Rollout' }).isDisabled(), 'New Rollout disabled');
    for (const card of await cards.all()) {
      for (const control of await card.locator('input, select, textarea, button').all()) {
        const what = (await control.getAttribute('aria-label')) ?? (await control.evaluate((e) => e.outerHTML.slice(0, 80)));
        assert(await control.isDisabled(), `rollout control enabled in read-only mode: ${what}`);
      }
    }
    assert(await page.getByLabel('Percentage', { exact: true }).isDisabled(), 'threshold percentage disabled');

    // E2E-81: the console, the analytics notice and the preferences keep working.
    await page.goto(`${roOrigin}/namespaces/default/console?flag=pricing-copy`);
    await heading('Console');
    await lbl('Entity ID').fill('ro-user');
    await page.getByRole('button', { name: 'Evaluate', exact: true }).click();
    await page.getByTestId('console-result').filter({ hasText: '"flagKey": "pricing-copy"' }).waitFor();
    await page.goto(`${roOrigin}/namespaces/default/flags/pricing-copy/analytics`);
    await page.getByTestId('analytics-disabled').waitFor();
    await page.goto(`${roOrigin}/settings`);
    await heading('Settings');
    const utc = page.getByRole('switch', { name: 'UTC Timezone' });
    await utc.check();
    assert(await utc.isChecked(), 'UTC preference works read-only');
    await utc.uncheck();
    await setTheme('light');
  });

  await step('no CSP violations or page errors', async () => {
    assert(problems.length === 0, problems.join('\n'));
  });

  if (failed > 0) console.log(`--- flipt-write log (tail) ---\n${serverLog}`);
}

try {
  await main();
} catch (err) {
  failed++;
  console.log(`FAIL setup: ${err?.stack ?? err}`);
}
for (const c of cleanups) {
  try {
    await c();
  } catch {
    /* best effort */
  }
}
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
