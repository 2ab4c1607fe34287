// Large namespaces: the flags list pages on the server (one small request for the first page
// of 5,000 flags), searching and sorting cover the whole namespace, and the segments list can
// be narrowed to unused segments. Everything is kept in the URL.
import { execFileSync } from 'node:child_process';

const NS = 'large-ns';
const FLAGS = 5000;

export default async function largeLists({ dbPath, page, origin, api, assert, heading, path, step, eventually }) {
  const base = `/api/v1/namespaces/${NS}`;
  // Loading and sorting 5,000 flags in a debug build on a busy 2-core machine can take a few
  // seconds: this flow checks what is shown, not how fast, so it waits longer than the others.
  page.setDefaultTimeout(30000);
  const eventuallyLong = (fn, what) => eventually(fn, what, 30000);
  const key = (i) => `flag-${String(i).padStart(4, '0')}`;

  await step('large namespace: 5,000 flags (one through the API, the rest seeded in SQL)', async () => {
    const ns = await api('POST', '/api/v1/namespaces', { key: NS, name: 'Large' });
    assert(ns.status === 200, `namespace: ${ns.status}`);
    const first = await api('POST', `${base}/flags`, { key: key(0), name: 'Flag 0000', type: 'VARIANT_FLAG_TYPE', enabled: true });
    assert(first.status === 200, `flag: ${first.status}`);
    // Creating 4,999 more through the API would spend minutes rebuilding the namespace's
    // evaluation snapshot after each write; the list page only needs the rows. Odd flags are
    // disabled, and creation times are a second apart (in the past) so that the server order is the key order.
    const sql = `
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${FLAGS - 1})
      INSERT INTO flags (namespace_key, "key", name, description, enabled, type, created_at, updated_at)
      SELECT '${NS}', printf('flag-%04d', i), printf('Flag %04d', i), '', i % 2 = 0, 1,
             strftime('%Y-%m-%d %H:%M:%f', 'now', printf('-%d seconds', ${FLAGS} - i)),
             strftime('%Y-%m-%d %H:%M:%f', 'now', printf('-%d seconds', ${FLAGS} - i))
      FROM n;
      UPDATE namespaces SET revision = revision + 1 WHERE "key" = '${NS}';`;
    execFileSync('sqlite3', ['-bail', '-cmd', '.timeout 10000', dbPath, sql]);
    const list = await api('GET', `${base}/flags?limit=1`);
    assert(list.body.totalCount === FLAGS, `totalCount ${list.body.totalCount}`);
  });

  const listRequests = [];
  page.on('request', (req) => {
    const u = new URL(req.url());
    if (u.pathname === `${base}/flags`) listRequests.push(u.search);
  });
  const rowKeys = () => page.getByRole('list', { name: 'Flags' }).locator('.key-badge').allTextContents();

  await step('large namespace: the first page is one server page of 20 flags', async () => {
    listRequests.length = 0;
    await page.goto(`${origin}/namespaces/${NS}/flags`);
    await heading('Flags');
    await eventuallyLong(async () => (await rowKeys()).length === 20, '20 rows');
    assert(listRequests.length === 1 && /(^|[?&])limit=20(&|$)/.test(listRequests[0]), `requests: ${listRequests.join(' | ')}`);
    await page.getByText(`Page 1 of ${FLAGS / 20}`).waitFor();
    const server = await api('GET', `${base}/flags?limit=20`);
    assert((await rowKeys()).join() === server.body.flags.map((f) => f.key).join(), 'rows are the server page');

    // The next page is another page request with Flipt's page token.
    listRequests.length = 0;
    await page.getByRole('button', { name: 'Go to next page' }).click();
    await page.getByText(`Page 2 of ${FLAGS / 20}`).waitFor();
    assert(path().endsWith('?page=2'), path());
    assert(listRequests.length === 1 && /pageToken=/.test(listRequests[0]), `requests: ${listRequests.join(' | ')}`);
    const second = await api('GET', `${base}/flags?limit=20&pageToken=${encodeURIComponent(btoa('{"offset":20}'))}`);
    await eventuallyLong(async () => (await rowKeys()).join() === second.body.flags.map((f) => f.key).join(), 'page 2 rows');
  });

  await step('large namespace: search and sort cover every flag, not just the page', async () => {
    await page.getByLabel('Search', { exact: true }).fill('flag-4999');
    await page.waitForURL(/q=flag-4999/);
    await eventuallyLong(async () => (await rowKeys()).join() === 'flag-4999', 'search result');
    assert(!path().includes('page='), `search resets the page: ${path()}`);
    // Survives a reload.
    await page.reload();
    await eventuallyLong(async () => (await rowKeys()).join() === 'flag-4999', 'search after reload');

    await page.getByLabel('Search', { exact: true }).fill('');
    await page.waitForURL((u) => !u.search.includes('q='));
    await page.locator('#list-sort').selectOption('key');
    await page.getByRole('button', { name: /Ascending/ }).click();
    await page.waitForURL(/dir=desc/);
    await eventuallyLong(async () => (await rowKeys())[0] === 'flag-4999', 'sorted descending');
    await page.getByText(`Page 1 of ${FLAGS / 20}`).waitFor();
    await page.getByRole('button', { name: 'Go to last page' }).click();
    await eventuallyLong(async () => (await rowKeys()).at(-1) === 'flag-0000', 'last page ends with the first key');
  });

  await step('flags list: type/status chips and the quick switch with Undo', async () => {
    await page.goto(`${origin}/namespaces/${NS}/flags`);
    await heading('Flags');
    const filters = page.getByRole('group', { name: 'Filters' });
    await filters.getByRole('button', { name: 'Boolean' }).click();
    await filters.getByRole('button', { name: 'Disabled / False' }).click();
    await page.waitForURL(/type=boolean.*status=disabled|status=disabled.*type=boolean/);
    assert((await filters.getByRole('button', { name: 'Boolean' }).getAttribute('aria-pressed')) === 'true', 'chip pressed');
    await eventuallyLong(async () => (await rowKeys())[0] === 'flag-0001', 'first disabled boolean flag');
    await page.getByText(`Page 1 of ${Math.ceil(FLAGS / 2 / 20)}`).waitFor();

    const sw = page.getByRole('switch', { name: 'Default value, flag-0001' });
    await sw.click();
    await page.getByRole('status').filter({ hasText: 'Default value of flag-0001 set to True' }).waitFor();
    assert((await api('GET', `${base}/flags/flag-0001`)).body.enabled === true, 'saved');
    // It no longer passes the "Disabled / False" chip.
    await eventuallyLong(async () => (await rowKeys())[0] === 'flag-0003', 'row left the filtered list');
    await page.getByRole('status').getByRole('button', { name: 'Undo' }).click();
    await eventuallyLong(async () => (await api('GET', `${base}/flags/flag-0001`)).body.enabled === false, 'undo saved');
    await eventuallyLong(async () => (await rowKeys())[0] === 'flag-0001', 'row back after undo');

    // Clearing a chip by pressing it again.
    await filters.getByRole('button', { name: 'Boolean' }).click();
    await page.waitForURL((u) => !u.search.includes('type='));
    await eventuallyLong(async () => (await rowKeys())[0] === 'flag-0000' || (await rowKeys())[0] === 'flag-0001', 'variant flags back');
  });

  await step('segments list: "Only unused segments" filter in the URL', async () => {
    for (const s of ['seg-used', 'seg-idle']) {
      const r = await api('POST', `${base}/segments`, { key: s, name: s, matchType: 'ALL_MATCH_TYPE' });
      assert(r.status === 200, `segment ${s}: ${r.status}`);
    }
    const rule = await api('POST', `${base}/flags/${key(0)}/rules`, { segmentKey: 'seg-used', rank: 1 });
    assert(rule.status === 200, `rule: ${rule.status}`);
    await page.goto(`${origin}/namespaces/${NS}/segments`);
    await heading('Segments');
    const segKeys = () => page.getByRole('list', { name: 'Segments' }).locator('.key-badge').allTextContents();
    await eventuallyLong(async () => (await segKeys()).length === 2, 'both segments');
    await page.getByLabel('Only unused segments').check();
    await page.waitForURL(/unused=1/);
    await eventuallyLong(async () => (await segKeys()).join() === 'seg-idle', 'only the unused one');
    await page.reload();
    await eventuallyLong(async () => (await segKeys()).join() === 'seg-idle', 'filter after reload');
    assert(await page.getByLabel('Only unused segments').isChecked(), 'checkbox restored from the URL');
    await page.goBack();
    await eventuallyLong(async () => (await segKeys()).length === 2, 'back shows both again');
  });
  page.setDefaultTimeout(10000);
  // The namespace stays: deleting 5,000 flags one by one would only slow the suite down, and
  // every run starts from a fresh database.
}
