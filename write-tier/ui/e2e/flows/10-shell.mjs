// The shell: command palette (E2E-05), keyboard shortcuts and their help, preferences with the
// theme and the UTC switch (E2E-72), date-time constraints in local time and UTC (E2E-43), the
// narrow-viewport drawer (E2E-95), the update bell and the footer version, and accessibility
// scans of the palette, the help and the settings in both themes.
//
// The browser runs in Asia/Kolkata (UTC+05:30, no DST) through CDP time-zone emulation, so local
// time and UTC always differ and every expected string is computed for a known zone.
import { readFileSync } from 'node:fs';

const NS = 'shell-ns';
const NS_NAME = 'Shell Space';
const FLAG = 'shell-checkout';
const FLAG_NAME = 'Shell Checkout';
const SEGMENT = 'shell-beta';
const SEGMENT_NAME = 'Shell Beta';
const TZ = 'Asia/Kolkata';
const axeSource = readFileSync(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');

const pad = (n) => String(n).padStart(2, '0');
/** The dashboard's absolute format, in UTC or in the emulated zone. */
function expected(iso, utc) {
  const d = new Date(iso);
  if (utc) {
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
  }
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: TZ,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

export default async function shell({ page, origin, api, toast, scoped, lbl, heading, path, setTheme, axeScan, assert, eventually, step }) {
  const base = `/api/v1/namespaces/${NS}`;
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  const input = palette.getByRole('combobox');
  const option = (name) => palette.getByRole('option', { name });
  const selected = () => palette.locator('[role="option"][aria-selected="true"]');
  const openPalette = async () => {
    await page.keyboard.press('Control+K');
    await input.waitFor();
    await eventually(async () => (await input.evaluate((e) => e === document.activeElement)) === true, 'palette input focused');
  };
  const closedPalette = () => palette.waitFor({ state: 'hidden' });
  const storage = (key) => page.evaluate((k) => localStorage.getItem(k), key);
  const themeIs = (t) => page.waitForFunction((x) => document.documentElement.dataset.theme === x, t);
  // axe on whatever is on screen (a modal is open, so the theme is switched through the same
  // attribute the app sets rather than through the inert page behind it).
  const axeNow = async (label) => {
    const before = await page.evaluate(() => document.documentElement.dataset.theme);
    for (const theme of ['light', 'dark']) {
      await page.evaluate((t) => {
        document.documentElement.dataset.theme = t;
        document.documentElement.style.colorScheme = t;
      }, theme);
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
    await page.evaluate((t) => {
      document.documentElement.dataset.theme = t;
      document.documentElement.style.colorScheme = t;
    }, before);
  };
  const cdp = await page.context().newCDPSession(page);
  let flagCreatedAt = '';

  await step('shell: seed a namespace, a flag and a segment; browser in Asia/Kolkata', async () => {
    assert((await api('POST', '/api/v1/namespaces', { key: NS, name: NS_NAME, description: 'shell flows' })).status === 200, 'namespace');
    const f = await api('POST', `${base}/flags`, { key: FLAG, name: FLAG_NAME, type: 'VARIANT_FLAG_TYPE', enabled: true });
    assert(f.status === 200, `flag: ${JSON.stringify(f.body)}`);
    flagCreatedAt = f.body.createdAt;
    assert((await api('POST', `${base}/segments`, { key: SEGMENT, name: SEGMENT_NAME, matchType: 'ALL_MATCH_TYPE' })).status === 200, 'segment');
    await cdp.send('Emulation.setTimezoneOverride', { timezoneId: TZ });
    await page.goto(`${origin}/namespaces/${NS}/flags`);
    await heading('Flags');
    const offset = await page.evaluate(() => new Date(Date.UTC(2024, 0, 1)).getTimezoneOffset());
    assert(offset === -330, `browser time zone offset ${offset}`);
    await page.evaluate(() => localStorage.removeItem('flipt.utc'));
  });

  await step('E2E-05 palette: Ctrl+K opens, arrows wrap, Enter goes to Segments', async () => {
    await openPalette();
    assert((await input.getAttribute('aria-expanded')) === 'true', 'combobox expanded');
    for (const name of ['Flags', 'Segments', 'Console', 'Switch Namespaces', 'New flag', 'New segment', 'Settings: General', 'Settings: Namespaces', 'Settings: API Tokens', 'Support', 'Preferences: Change Theme', 'Keyboard Shortcuts']) {
      await option(name).first().waitFor();
    }
    const options = palette.getByRole('option');
    const count = await options.count();
    assert((await selected().textContent()).startsWith('Flags'), 'first row active');
    await page.keyboard.press('ArrowUp');
    assert((await input.getAttribute('aria-activedescendant')) === (await options.nth(count - 1).getAttribute('id')), 'ArrowUp wraps to the last row');
    await page.keyboard.press('ArrowDown');
    assert((await selected().textContent()).startsWith('Flags'), 'ArrowDown wraps to the first row');
    await input.fill('qqqzzz');
    await palette.getByText('No results found').waitFor();
    await input.fill('segm');
    assert((await selected().textContent()).startsWith('Segments'), 'best match first');
    await page.keyboard.press('Enter');
    await closedPalette();
    await page.waitForURL(`**/namespaces/${NS}/segments`);
    await heading('Segments');
  });

  await step('E2E-05 palette: switch namespace through the sub-list; Backspace and Escape go back', async () => {
    await openPalette();
    await input.fill('switch');
    await page.keyboard.press('Enter');
    await option(/^Default/).waitFor();
    await option(new RegExp(`^${NS_NAME}`)).getByText('(current)').waitFor();
    await page.keyboard.press('Backspace');
    await option('Settings: General').waitFor();
    await input.fill('switch');
    await page.keyboard.press('Enter');
    await option(/^Default/).waitFor();
    await page.keyboard.press('Escape');
    await option('Settings: General').waitFor();
    assert(await palette.isVisible(), 'Escape on an empty sub-list goes back, not out');
    await input.fill('switch');
    await page.keyboard.press('Enter');
    await input.fill('defa');
    await page.keyboard.press('Enter');
    await closedPalette();
    await page.waitForURL('**/namespaces/default/segments');
    assert((await lbl('Namespace').inputValue()) === 'default', 'switcher follows');
    // Not offered on detail pages.
    await page.goto(`${origin}/namespaces/${NS}/flags/${FLAG}`);
    await heading(FLAG_NAME);
    await openPalette();
    await input.fill('switch namespaces');
    await palette.getByText('No results found').waitFor();
    await page.keyboard.press('Escape');
    await closedPalette();
  });

  await step('E2E-05 palette: change theme through the sub-list; Escape closes and focus returns', async () => {
    await openPalette();
    await input.fill('theme');
    await page.keyboard.press('Enter');
    await option(/^Light/).waitFor();
    await input.fill('dark');
    await page.keyboard.press('Enter');
    await closedPalette();
    await themeIs('dark');
    assert((await storage('flipt.theme')) === 'dark', 'theme stored');
    await openPalette();
    await input.fill('theme');
    await page.keyboard.press('Enter');
    await option(/^Dark/).getByText('(current)').waitFor();
    await option(/^Light/).click();
    await closedPalette();
    await themeIs('light');
    // Opened from the sidebar button: Escape closes and focus goes back to the button.
    const trigger = page.getByRole('button', { name: /Search or jump to/ });
    await trigger.click();
    await input.waitFor();
    await page.keyboard.press('Escape');
    await closedPalette();
    assert(await trigger.evaluate((e) => e === document.activeElement), 'focus returned to the trigger');
    // Ctrl+K toggles it closed too.
    await openPalette();
    await page.keyboard.press('Control+K');
    await closedPalette();
  });

  await step('E2E-05 palette [new]: jump to a flag by key and a segment by name; "New flag"', async () => {
    await page.goto(`${origin}/namespaces/${NS}/flags`);
    await heading('Flags');
    await openPalette();
    await input.fill(FLAG);
    await option(new RegExp(`^${FLAG_NAME}`)).waitFor();
    assert((await selected().textContent()).startsWith(FLAG_NAME), 'the flag is the best match');
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/namespaces/${NS}/flags/${FLAG}`);
    await heading(FLAG_NAME);
    await openPalette();
    await input.fill('shell bet');
    await option(new RegExp(`^${SEGMENT_NAME}`)).click();
    await page.waitForURL(`**/namespaces/${NS}/segments/${SEGMENT}`);
    await heading(SEGMENT_NAME);
    await openPalette();
    await input.fill('new flag');
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/namespaces/${NS}/flags/new`);
    await heading('New Flag');
  });

  await step('palette: accessible in light and dark theme', async () => {
    await page.goto(`${origin}/namespaces/${NS}/flags`);
    await heading('Flags');
    await openPalette();
    await input.fill('s');
    await option('Segments').waitFor();
    await axeNow('command palette');
    await input.fill('theme');
    await page.keyboard.press('Enter');
    await option(/^System/).waitFor();
    await axeNow('command palette sub-list');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await closedPalette();
  });

  await step('shortcuts: / focuses the search, c opens "new", ? shows the help; not while typing', async () => {
    await page.goto(`${origin}/namespaces/${NS}/flags`);
    await heading('Flags');
    const search = lbl('Search');
    await search.waitFor();
    await page.keyboard.press('/');
    assert(await search.evaluate((e) => e === document.activeElement), '/ focuses the list search');
    await page.keyboard.type('c?');
    assert((await search.inputValue()) === 'c?', 'keys typed into a field stay in the field');
    assert(path().startsWith(`/namespaces/${NS}/flags`) && !path().includes('/new'), path());
    await search.fill('');
    await page.getByRole('heading', { level: 1, name: 'Flags' }).click();
    await page.keyboard.press('c');
    await page.waitForURL(`**/namespaces/${NS}/flags/new`);
    await heading('New Flag');
    await page.goto(`${origin}/namespaces/${NS}/segments`);
    await heading('Segments');
    await page.keyboard.press('c');
    await page.waitForURL(`**/namespaces/${NS}/segments/new`);
    await page.goto(`${origin}/namespaces/${NS}/flags`);
    await heading('Flags');
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard Shortcuts' });
    await help.getByText('Open or close the command palette').waitFor();
    await help.getByText('Search the list').waitFor();
    await axeNow('shortcut help');
    await page.keyboard.press('c');
    assert(path() === `/namespaces/${NS}/flags`, 'shortcuts are off while a dialog is open');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });
    // Discoverable from the sidebar and the palette.
    const link = page.getByRole('button', { name: /Keyboard shortcuts/ });
    await link.click();
    await help.waitFor();
    await help.getByRole('button', { name: 'Close', exact: true }).first().click();
    await help.waitFor({ state: 'hidden' });
    assert(await link.evaluate((e) => e === document.activeElement), 'focus back on the help link');
    await openPalette();
    await input.fill('shortcuts');
    await option(/Keyboard Shortcuts/).getByText('?', { exact: true }).waitFor();
    await page.keyboard.press('Enter');
    await help.waitFor();
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });
  });

  await step('E2E-72 preferences: theme Light/Dark/System applied, System follows the OS', async () => {
    await page.goto(`${origin}/settings`);
    await heading('Settings');
    const select = page.locator('#pref-theme');
    await select.selectOption('dark');
    await themeIs('dark');
    await select.selectOption('system');
    await page.emulateMedia({ colorScheme: 'dark' });
    await themeIs('dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await themeIs('light');
    await page.reload();
    await heading('Settings');
    assert((await select.inputValue()) === 'system', 'the selector keeps the chosen value');
    await page.emulateMedia({ colorScheme: 'dark' });
    await themeIs('dark');
    await page.emulateMedia({ colorScheme: null });
    await select.selectOption('light');
    await themeIs('light');
  });

  await step('E2E-72 preferences: the UTC switch changes the live example and every displayed time', async () => {
    await page.goto(`${origin}/settings`);
    await heading('Settings');
    const sw = page.getByRole('switch', { name: 'UTC Timezone' });
    assert(!(await sw.isChecked()), 'local time by default');
    const example = page.getByTestId('pref-utc-example');
    const localText = await example.textContent();
    assert(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(localText), `local example ${localText}`);
    // The example is the current time in the emulated zone (allow the second to tick over).
    const near = (text, utc) => [0, -1000, -2000].some((d) => expected(new Date(Date.now() + d).toISOString(), utc) === text);
    assert(near(await example.textContent(), false), `local example ${await example.textContent()}`);
    await eventually(async () => (await example.textContent()) !== localText, 'the live example ticks');
    await sw.check();
    await eventually(async () => (await example.textContent()).endsWith(' UTC'), 'example in UTC');
    assert(near(await example.textContent(), true), `UTC example ${await example.textContent()}`);
    assert((await storage('flipt.utc')) === 'true', 'stored in the browser');
    // Namespaces table.
    await page.getByRole('link', { name: 'Namespaces' }).click();
    const ns = (await api('GET', base)).body;
    const row = page.getByRole('row').filter({ hasText: NS_NAME });
    await row.getByText(expected(ns.createdAt, true), { exact: true }).first().waitFor();
    // Flags list tooltip.
    await page.goto(`${origin}/namespaces/${NS}/flags`);
    const created = page.getByRole('link', { name: new RegExp(FLAG_NAME) }).locator('time').first();
    assert((await created.getAttribute('title')) === expected(flagCreatedAt, true), `tooltip ${await created.getAttribute('title')}`);
    assert(/ago|just now/.test(await created.textContent()), `relative ${await created.textContent()}`);
    // Back to local time: tables and tooltips follow.
    await page.goto(`${origin}/settings`);
    await sw.uncheck();
    await eventually(async () => !(await example.textContent()).endsWith(' UTC'), 'example local again');
    await page.getByRole('link', { name: 'Namespaces' }).click();
    await row.getByText(expected(ns.createdAt, false), { exact: true }).first().waitFor();
    await page.goto(`${origin}/namespaces/${NS}/flags`);
    assert((await created.getAttribute('title')) === expected(flagCreatedAt, false), `tooltip ${await created.getAttribute('title')}`);
  });

  await step('settings: accessible in light and dark theme', async () => {
    await page.goto(`${origin}/settings`);
    await heading('Settings');
    await axeScan('settings general');
  });

  await step('E2E-43 DateTime constraint: entered in local time, stored in UTC, shown per preference', async () => {
    await page.goto(`${origin}/namespaces/${NS}/segments/${SEGMENT}`);
    await heading(SEGMENT_NAME);
    await page.getByRole('button', { name: 'New Constraint' }).click();
    await lbl('Type').selectOption({ label: 'DateTime' });
    await lbl('Property').fill('signup');
    await lbl('Operator').selectOption({ label: 'IS AFTER' });
    const value = scoped().getByRole('group', { name: 'Value (Local)' });
    await value.waitFor();
    assert((await value.getByRole('link', { name: 'Local' }).getAttribute('href')).endsWith('/settings'), 'zone links to the preferences');
    await lbl('Date').fill('2024-05-01');
    await lbl('Time').fill('13:30');
    await scoped().getByRole('button', { name: 'Create' }).click();
    await toast('Successfully created constraint');
    const stored = async () => (await api('GET', `${base}/segments/${SEGMENT}`)).body.constraints.find((c) => c.property === 'signup');
    let c = await stored();
    // 13:30 in Kolkata (UTC+05:30) is 08:00 UTC.
    assert(c.type === 'DATETIME_COMPARISON_TYPE' && c.operator === 'gt' && c.value === '2024-05-01T08:00:00Z', JSON.stringify(c));
    const cell = page.getByRole('row').filter({ hasText: 'signup' }).locator('time');
    assert((await cell.textContent()) === '2024-05-01 13:30:00', `shown ${await cell.textContent()}`);

    // UTC preference: the table and the picker show UTC; edits are read as UTC.
    await page.evaluate(() => localStorage.setItem('flipt.utc', 'true'));
    await page.reload();
    await heading(SEGMENT_NAME);
    assert((await cell.textContent()) === '2024-05-01 08:00:00 UTC', `shown ${await cell.textContent()}`);
    await page.getByRole('button', { name: 'Edit, signup' }).click();
    await scoped().getByRole('group', { name: 'Value (UTC)' }).waitFor();
    assert((await lbl('Date').inputValue()) === '2024-05-01' && (await lbl('Time').inputValue()) === '08:00', 'picker in UTC');
    await lbl('Time').fill('09:15');
    await scoped().getByRole('button', { name: 'Update' }).click();
    await toast('Successfully updated constraint');
    c = await stored();
    assert(c.value === '2024-05-01T09:15:00Z', c.value);
    await eventually(async () => (await cell.textContent()) === '2024-05-01 09:15:00 UTC', 'table in UTC');

    // A date without a time is midnight in the chosen zone.
    await page.getByRole('button', { name: 'New Constraint' }).click();
    await lbl('Type').selectOption({ label: 'DateTime' });
    await lbl('Property').fill('trial_end');
    await lbl('Date').fill('2024-06-01');
    await scoped().getByRole('button', { name: 'Create' }).click();
    await toast('Successfully created constraint');
    const trial = (await api('GET', `${base}/segments/${SEGMENT}`)).body.constraints.find((x) => x.property === 'trial_end');
    assert(trial.value === '2024-06-01T00:00:00Z', trial.value);

    // Back to local time: the same stored values are shown in Kolkata time.
    await page.evaluate(() => localStorage.setItem('flipt.utc', 'false'));
    await page.reload();
    await heading(SEGMENT_NAME);
    assert((await cell.textContent()) === '2024-05-01 14:45:00', `shown ${await cell.textContent()}`);
    await page.getByRole('button', { name: 'Edit, trial_end' }).click();
    assert((await lbl('Date').inputValue()) === '2024-06-01' && (await lbl('Time').inputValue()) === '05:30', 'picker in local time');
    await page.keyboard.press('Escape');
    await scoped().getByRole('group', { name: 'Value (Local)' }).waitFor({ state: 'detached' });
  });

  await step('E2E-95 narrow viewport: drawer navigation, secondary columns hidden, forms stacked', async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    try {
      await page.goto(`${origin}/namespaces/${NS}/flags`);
      await heading('Flags');
      const primary = page.getByRole('navigation', { name: 'Primary' });
      assert(!(await primary.isVisible()), 'sidebar hidden');
      const burger = page.getByRole('button', { name: 'Open sidebar' });
      await burger.click();
      await primary.waitFor();
      await eventually(async () => page.getByRole('button', { name: 'Close sidebar' }).evaluate((e) => e === document.activeElement), 'focus in the drawer');
      await page.keyboard.press('Escape');
      await primary.waitFor({ state: 'hidden' });
      assert(await burger.evaluate((e) => e === document.activeElement), 'focus back on the hamburger');
      await burger.click();
      await primary.getByRole('link', { name: 'Segments' }).click();
      await page.waitForURL(`**/namespaces/${NS}/segments`);
      await primary.waitFor({ state: 'hidden' });
      // Tables drop secondary columns.
      await page.goto(`${origin}/settings/namespaces`);
      await page.getByRole('columnheader', { name: 'Key' }).waitFor();
      assert(!(await page.getByRole('columnheader', { name: 'Created' }).isVisible()), 'Created column hidden');
      await page.goto(`${origin}/namespaces/${NS}/segments/${SEGMENT}`);
      await heading(SEGMENT_NAME);
      assert(!(await page.getByRole('columnheader', { name: 'Operator' }).isVisible()), 'Operator column hidden');
      // Forms stack: the date and time pickers sit one above the other.
      await page.getByRole('button', { name: 'Edit, trial_end' }).click();
      const date = await lbl('Date').boundingBox();
      const time = await lbl('Time').boundingBox();
      assert(time.y >= date.y + date.height, `stacked pickers ${JSON.stringify({ date, time })}`);
      await page.keyboard.press('Escape');
      // Nothing scrolls sideways.
      for (const p of [`/namespaces/${NS}/flags`, `/namespaces/${NS}/flags/${FLAG}`, `/namespaces/${NS}/segments/${SEGMENT}`, `/namespaces/${NS}/console`, '/settings', '/settings/namespaces']) {
        await page.goto(`${origin}${p}`);
        await page.getByRole('heading', { level: 1 }).first().waitFor();
        await page.waitForLoadState('networkidle');
        const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
        assert(scroll <= client, `horizontal scrolling on ${p}: ${scroll} > ${client}`);
      }
      await page.goto(`${origin}/namespaces/${NS}/segments/${SEGMENT}`);
      await heading(SEGMENT_NAME);
      // The palette fits the screen.
      await openPalette();
      const box = await palette.boundingBox();
      assert(box.x >= 0 && box.x + box.width <= 390, `palette ${JSON.stringify(box)}`);
      await page.keyboard.press('Escape');
      await closedPalette();
    } finally {
      await page.setViewportSize({ width: 1280, height: 860 });
    }
  });

  await step('header: no update bell without update information; footer shows the version', async () => {
    await page.goto(`${origin}/namespaces/${NS}/flags`);
    await heading('Flags');
    const info = await (await fetch(`${origin}/meta/info`)).json();
    await page.getByRole('contentinfo').getByText(`v${info.version.replace(/^v/, '')}`).waitFor();
    assert((await page.getByRole('button', { name: /Update available/ }).count()) === 0, 'no bell');
  });

  await step('header: update bell with "Update Available", "Check It Out" and "Dismiss"', async () => {
    // Only the browser sees this answer; the server keeps sending no update information.
    await page.route('**/meta/info', async (route) => {
      const res = await route.fetch();
      const body = await res.json();
      await route.fulfill({
        response: res,
        // A light operator bar colour: the bell must switch to dark ink with the rest of the bar.
        json: { ...body, updateAvailable: true, latestVersion: 'v9.9.9', latestVersionURL: 'https://example.com/releases/v9.9.9', ui: { ...body.ui, topbarColor: '#fde047' } },
      });
    });
    try {
      await page.evaluate(() => localStorage.removeItem('flipt.update.dismissed'));
      await page.reload();
      await heading('Flags');
      const bell = page.getByRole('button', { name: 'Update available, not seen yet' });
      const ink = await bell.evaluate((e) => getComputedStyle(e).color);
      assert(ink === 'rgb(0, 0, 0)', `bell colour on a light bar: ${ink}`);
      await bell.click();
      const card = page.getByRole('region', { name: 'Update Available' });
      await card.getByText('v9.9.9').waitFor();
      const link = card.getByRole('link', { name: 'Check It Out' });
      assert((await link.getAttribute('href')) === 'https://example.com/releases/v9.9.9', 'release link');
      assert(/noreferrer/.test(await link.getAttribute('rel')), 'no referrer');
      await page.getByRole('button', { name: 'Update available', exact: true }).waitFor();
      await axeScan('update card');
      await page.getByRole('button', { name: 'Update available', exact: true }).click();
      await card.waitFor({ state: 'hidden' });
      await page.getByRole('button', { name: 'Update available', exact: true }).click();
      await card.getByRole('button', { name: 'Dismiss' }).click();
      await page.getByRole('button', { name: /Update available/ }).waitFor({ state: 'detached' });
      await page.reload();
      await heading('Flags');
      assert((await page.getByRole('button', { name: /Update available/ }).count()) === 0, 'stays dismissed');
    } finally {
      await page.unroute('**/meta/info');
      await page.evaluate(() => localStorage.removeItem('flipt.update.dismissed'));
    }
  });

  await step('read-only mode: no "new" actions in the palette, c does nothing', async () => {
    // The browser is told the storage is read-only (the server-side refusal is covered by the
    // read-only run of the main suite); only the dashboard's reaction is checked here.
    await page.route('**/meta/info', async (route) => {
      const res = await route.fetch();
      const body = await res.json();
      await route.fulfill({ response: res, json: { ...body, storage: { ...body.storage, readOnly: true } } });
    });
    try {
      await page.goto(`${origin}/namespaces/${NS}/flags`);
      await page.locator('.topbar').getByText('Read-Only', { exact: true }).waitFor();
      await openPalette();
      await option('Settings: General').waitFor();
      assert((await option('New flag').count()) === 0 && (await option('New segment').count()) === 0, 'no New actions');
      await page.keyboard.press('Escape');
      await closedPalette();
      await page.getByRole('heading', { level: 1, name: 'Flags' }).click();
      await page.keyboard.press('c');
      await page.keyboard.press('?');
      const help = page.getByRole('dialog', { name: 'Keyboard Shortcuts' });
      await help.getByText(/not available in read-only mode/).waitFor();
      assert(path() === `/namespaces/${NS}/flags`, `c ignored in read-only mode: ${path()}`);
      await page.keyboard.press('Escape');
    } finally {
      await page.unroute('**/meta/info');
    }
  });

  await step('shell: clean up', async () => {
    await cdp.send('Emulation.setTimezoneOverride', { timezoneId: '' }).catch(() => {});
    await cdp.detach().catch(() => {});
    await page.evaluate(() => {
      localStorage.removeItem('flipt.utc');
      localStorage.setItem('flipt.theme', 'light');
      localStorage.setItem('flipt.namespace', 'default');
    });
    await api('DELETE', `${base}/segments/${SEGMENT}`);
    await api('DELETE', `${base}/flags/${FLAG}`);
    const del = await api('DELETE', base);
    assert(del.status === 200, `namespace delete ${del.status} ${JSON.stringify(del.body)}`);
    await page.goto(`${origin}/namespaces/default/flags`);
    await heading('Flags');
  });
}
