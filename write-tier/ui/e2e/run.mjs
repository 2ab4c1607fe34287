// Browser test of the dashboard against the real write tier.
//
// Starts target/debug/flipt-write on free ports with a fresh SQLite database, drives the
// dashboard with Debian's Chromium through playwright-core, checks accessibility with axe-core
// in light and dark theme, and saves screenshots to docs/images/. Exits non-zero on failure.
//
// Env: FLIPT_WRITE_BIN (default <repo>/target/debug/flipt-write), CHROMIUM (default
// /usr/bin/chromium), E2E_SCREENSHOTS=0 to skip writing screenshots.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync, readFileSync, existsSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
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

async function step(name, fn) {
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
  const shot = async (name) => {
    if (process.env.E2E_SCREENSHOTS === '0') return;
    mkdirSync(shotsDir, { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0));
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

  await step('root redirects to the flags list of the default namespace', async () => {
    await page.goto(`${origin}/`);
    await heading('Flags');
    assert(path() === '/namespaces/default/flags', path());
    assert((await page.title()) === 'Flipt · default', await page.title());
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
    await page.getByRole('link', { name: /Beta Users/ }).waitFor();
    await axeScan('segments list');
    await page.getByRole('link', { name: /Beta Users/ }).click();
    await page.getByRole('group').or(page.locator('summary')).first().waitFor();
    await page.locator('summary', { hasText: 'Actions' }).click();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('dialog', { name: 'Delete Segment' }).getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL('**/namespaces/E2E-Space/segments');
    const s = await api('GET', '/api/v1/namespaces/E2E-Space/segments/Beta-Users');
    assert(s.status === 404, `segment still there: ${s.status}`);
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
