/**
 * The first hour of a new user: each role lands where its work is, sees in the navigation only
 * what it can use, and a phone shows tickets (not filters) on its first screen.
 */
import { expect, test } from './support/region-server';
import { AppFrame } from './pages/app-frame';
import { freshContext, phoneContext } from './fixtures';
import { Navigation, PhoneTicketList } from './pages/navigation';

const LANDINGS: { user: string; path: RegExp; rows: { has: string[]; hasNot: string[] } }[] = [
  // The demo gives the teacher and the director work (a task, documents at the director's step): "my work" first.
  {
    user: 'ucitel.gymkt',
    path: /^\/inbox$/,
    rows: { has: ['inbox', 'tickets', 'report'], hasNot: ['queue', 'reports'] }
  },
  // The helpdesk answers for the region's contracts; two of them end within 60 days: their reminders wait in "my work".
  {
    user: 'helpdesk',
    path: /^\/inbox$/,
    rows: { has: ['inbox', 'tickets', 'queue', 'reports'], hasNot: ['admin'] }
  },
  // The contractor has demo tickets assigned by name: they wait in "my work".
  { user: 'technik.kt', path: /^\/inbox$/, rows: { has: ['inbox', 'queue', 'reports'], hasNot: ['report'] } },
  {
    user: 'reditel.gymkt',
    path: /^\/inbox$/,
    rows: { has: ['inbox', 'tickets', 'approvals', 'tasks', 'reports'], hasNot: ['queue'] }
  },
  { user: 'admin', path: /^\/admin/, rows: { has: ['admin', 'queue', 'reports'], hasNot: [] } }
];

for (const { user, path, rows } of LANDINGS) {
  test(`${user} lands on ${path.source} and sees their modules`, async ({ page }) => {
    const nav = new Navigation(page);
    expect(await nav.signInAndLand(user)).toMatch(path);
    const shown = await nav.rows();
    for (const id of rows.has) expect(shown, id).toContain(id);
    for (const id of rows.hasNot) expect(shown, id).not.toContain(id);
  });
}

test('a reload, offline too, paints "my work" from the device\'s copy before the database opens, then goes live', async ({
  page
}) => {
  const nav = new Navigation(page);
  expect(await nav.signInAndLand('ucitel.gymkt')).toBe('/inbox');
  const items = page.getByTestId('inbox-item');
  await expect(items.first()).toBeVisible({ timeout: 45_000 });
  await expect.poll(() => page.evaluate(() => localStorage.getItem('ict.inbox') !== null)).toBe(true);
  const frame = new AppFrame(page);
  await frame.waitUntilReadyOffline();
  // Whether the local database was open when the first item was put on the page.
  const dbAtFirstItem = await frame.noteDbOpenAtFirst('[data-testid="inbox-item"]');
  await page.context().setOffline(true);
  await page.reload();
  await expect(items.first()).toBeVisible();
  expect(await dbAtFirstItem()).toBe(false);
  // Then the database opens behind the page: the frame's sync status appears, the inbox stays.
  await expect(frame.syncStatus).toHaveText(/Bez připojení/, { timeout: 30_000 });
  expect(await frame.dbOpen()).toBe(true);
  await expect(items.first()).toBeVisible();
  await page.context().setOffline(false);
});

test("an administrator's reload paints the organizations before the database opens, then it opens", async ({
  page
}) => {
  const nav = new Navigation(page);
  expect(await nav.signInAndLand('admin')).toMatch(/^\/admin/);
  const frame = new AppFrame(page);
  await expect(page.getByTestId('admin-orgs')).toBeVisible({ timeout: 45_000 });
  await expect(frame.syncStatus).toBeVisible({ timeout: 45_000 });
  const dbAtList = await frame.noteDbOpenAtFirst('[data-testid="admin-orgs"]');
  // From home, as a bookmark of the app opens it: straight on to the administration.
  await page.goto('/');
  await expect(page).toHaveURL(/\/admin\/orgs$/);
  await expect(page.getByTestId('admin-orgs')).toBeVisible();
  expect(await dbAtList()).toBe(false);
  // The data layer loads behind the list: the sync status appears, the list stays.
  await expect(frame.syncStatus).toBeVisible({ timeout: 30_000 });
  await expect.poll(() => frame.dbOpen()).toBe(true);
  await expect(page.getByTestId('admin-orgs')).toBeVisible();
});

test("a reload of the queue paints the desk's last rows before the database opens, then the live queue takes over", async ({
  page
}) => {
  const nav = new Navigation(page);
  await nav.signInAndLand('helpdesk');
  await page.goto('/queue');
  const liveRows = page.getByTestId('queue-row');
  await expect(liveRows.first()).toBeVisible({ timeout: 45_000 });
  const firstTitle = (await liveRows.first().locator('td.title a').textContent())!.trim();
  await expect.poll(() => page.evaluate(() => localStorage.getItem('ict.page:/queue') !== null)).toBe(true);
  const frame = new AppFrame(page);
  await frame.waitUntilReadyOffline();
  const snapshot = page.getByTestId('page-snapshot');
  const atPicture = await frame.noteFirst('[data-testid="page-snapshot"] tbody tr');
  await page.reload();
  // The picture, as the page noted it when it first appeared: before the database opened, the
  // same first row, inert (nothing in it can be clicked or focused yet).
  await expect.poll(async () => (await atPicture())?.dbOpen).toBe(false);
  const first = (await atPicture())!;
  expect(first.text).toContain(firstTitle);
  expect(first.inert).toBe(true);
  // Then the live queue replaces it, and its rows work.
  await expect(liveRows.first()).toContainText(firstTitle, { timeout: 30_000 });
  await expect(snapshot).toHaveCount(0);
  await liveRows.first().locator('td.title a').click();
  await expect(page).toHaveURL(/\/tickets\/[^/]+$/);
});

test("the dispatcher's app, opened from home, paints the winter desk as last seen, then the live desk", async ({
  page
}) => {
  const nav = new Navigation(page);
  expect(await nav.signInAndLand('dispecer')).toBe('/dispatch');
  await expect(page.getByTestId('section-row').first()).toBeVisible({ timeout: 45_000 });
  await expect.poll(() => page.evaluate(() => localStorage.getItem('ict.page:/dispatch') !== null)).toBe(true);
  const frame = new AppFrame(page);
  await frame.waitUntilReadyOffline();
  const dbAtPicture = await frame.noteDbOpenAtFirst('[data-testid="page-snapshot"] table');
  await page.goto('/');
  await expect(page).toHaveURL(/\/dispatch$/);
  // The page notes the picture's table when it first appears, and whether the database was open:
  // on a reload with the app in the worker's cache the picture may show too briefly to poll for.
  await expect.poll(dbAtPicture).toBe(false);
  await expect(page.getByTestId('section-row').first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('page-snapshot')).toHaveCount(0);
});

test('roles without tickets never land on the ticket list, and a page of other roles says so', async ({
  browser,
  baseURL
}) => {
  for (const user of ['dispecer', 'ucetni.gymkt']) {
    const context = await freshContext(browser, baseURL);
    const page = await context.newPage();
    const nav = new Navigation(page);
    expect(await nav.signInAndLand(user), user).not.toMatch(/^\/tickets/);
    expect(await nav.rows(), user).not.toContain('tickets');
    if (user === 'dispecer') {
      // The queue opened by its address: the frame says whose page it is, not an empty queue.
      await page.goto('/queue');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tato stránka není pro vaši roli');
      await expect(page.getByTestId('not-your-page')).toContainText('„Fronta“');
      await page.getByRole('link', { name: 'Přejít na vaši úvodní stránku' }).click();
      await expect(page).toHaveURL(/\/dispatch$/);
    }
    await context.close();
  }
});

test('a phone shows tickets on its first screen, filters behind one button with their count', async ({
  browser,
  baseURL
}) => {
  const context = await phoneContext(browser, baseURL, { width: 390, height: 844 });
  const page = await context.newPage();
  const nav = new Navigation(page);
  expect(await nav.signInAndLand('ucitel.gymkt')).toBe('/inbox');
  await nav.nav.locator('[data-nav="tickets"] a').click();
  const list = new PhoneTicketList(page);
  await expect(list.rows.first()).toBeVisible({ timeout: 45_000 });
  await expect(list.search).toBeHidden();
  const box = await list.rows.first().boundingBox();
  expect(box!.y + box!.height).toBeLessThan(844 / 2);
  // Titles wrap (up to two lines) instead of being cut after a couple of words.
  expect(
    await list.rows
      .first()
      .locator('.title')
      .evaluate((e) => getComputedStyle(e).whiteSpace)
  ).toBe('normal');
  // …across the row's whole width: the status and SLA badges go under the title, not beside it.
  const title = await list.rows.first().locator('.title').boundingBox();
  expect(title!.width).toBeGreaterThan(box!.width * 0.8);

  await list.filtersToggle.click();
  await expect(list.search).toBeVisible();
  await list.filtersToggle.click();
  await expect(list.search).toBeHidden();
  // A filter in use (kept in the address) is counted on the button.
  await page.goto('/tickets?status=all');
  await expect(list.filterCount).toHaveText(/^1/);
  // By title: no index of the device holds that order, the search index answers it (the rows
  // in code-point order, as an index would give them, and their count).
  const count = page.getByTestId('ticket-count');
  await expect(count).toHaveText(/\d/);
  const total = await count.innerText();
  await page.goto('/tickets?status=all&sort=title');
  await expect(list.filterCount).toHaveText(/^2/);
  await expect(count).toHaveText(total);
  await expect(list.rows.first()).toBeVisible();
  const titles = await list.rows.locator('.title').allInnerTexts();
  expect(titles.length).toBeGreaterThan(3);
  expect(titles).toEqual([...titles].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  await context.close();
});

test("a desk of every organization lists one organization's tickets, in the list and in the queue", async ({
  page
}) => {
  // The device keeps no index by organization: the list of one comes from the search index, and
  // the queue's open work is read whole and checked row by row.
  const nav = new Navigation(page);
  await nav.signInAndLand('helpdesk');
  const count = page.getByTestId('ticket-count');
  // The count line once counted ("Počet požadavků: 1 234"), not while the list is put in order.
  const countLine = /:[\s\d]+$/;
  const counted = async () => Number((await count.innerText()).replace(/\D/g, ''));
  await page.goto('/tickets?status=all');
  await expect(count).toHaveText(countLine, { timeout: 45_000 });
  const total = await counted();
  await page.goto('/tickets?status=all&org=gym-kt');
  await expect(count).toHaveText(countLine, { timeout: 30_000 });
  const ofOne = await counted();
  expect(ofOne).toBeGreaterThan(0);
  expect(ofOne).toBeLessThan(total);
  const metas = await page.locator('a.ticket .meta').allInnerTexts();
  expect(metas.length).toBe(Math.min(ofOne, metas.length));
  expect(metas.length).toBeGreaterThan(0);
  // The organization's short name, once the region's list of them is open.
  const option = page.locator('#org option[value="gym-kt"]');
  await expect(option).not.toHaveText('gym-kt');
  const name = (await option.innerText()).trim();
  for (const meta of metas) expect(meta).toContain(name);

  await page.goto('/queue');
  const rows = page.getByTestId('queue-row');
  await expect(rows.first()).toBeVisible({ timeout: 45_000 });
  const before = await rows.count();
  await page.locator('#qf-org').selectOption('gym-kt');
  const queueOption = page.locator('#qf-org option[value="gym-kt"]');
  await expect(queueOption).not.toHaveText('gym-kt');
  const short = (await queueOption.innerText()).trim();
  // Fewer rows, each of that organization.
  await expect
    .poll(async () => {
      const texts = await rows.evaluateAll((trs) => trs.map((tr) => tr.textContent ?? ''));
      return texts.length > 0 && texts.length < before && texts.every((t) => t.includes(short));
    })
    .toBe(true);
});

test("a phone shows the desk's queue and the director's documents first, their filters behind one button", async ({
  browser,
  baseURL
}) => {
  for (const [user, path, rowsOf, filterId] of [
    ['helpdesk', '/queue', '[data-testid="queue-table"] tbody tr', '#qf-text'],
    ['reditel.gymkt', '/approvals?view=all', '[data-testid="approval-row"]', '[data-testid="filter-min-amount"]']
  ] as const) {
    const context = await phoneContext(browser, baseURL, { width: 390, height: 844 });
    const page = await context.newPage();
    await new Navigation(page).signInAndLand(user);
    await page.goto(path);
    const first = page.locator(rowsOf).first();
    await expect(first, user).toBeVisible({ timeout: 45_000 });
    const box = await first.boundingBox();
    expect(box!.y, user).toBeLessThan(844 / 2);
    // A row fits the screen (the queue's was a table twice its width): a card on a phone.
    expect(box!.x + box!.width, user).toBeLessThanOrEqual(390);
    await expect(page.locator(filterId)).toBeHidden();
    // Keyboard shortcuts are not offered where no keyboard is.
    await expect(page.getByRole('button', { name: 'Klávesové zkratky' })).toBeHidden();
    const toggle = page.getByTestId('filters-toggle');
    await toggle.click();
    await expect(page.locator(filterId)).toBeVisible();
    await toggle.click();
    await expect(page.locator(filterId)).toBeHidden();
    await context.close();
  }
});

test('a new device gets its data before the service worker installs; the sign-in page installs it at once', async ({
  page
}) => {
  // Signed in without the sign-in page, as a link into the app would open on a new device.
  const res = await page.request.post('/api/auth/login', { data: { username: 'ucitel.gymkt', password: 'demo' } });
  expect(res.ok()).toBe(true);
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route('**/api/changes', async (route) => {
    await held;
    await route.continue();
  });
  const firstPull = page.waitForRequest('**/api/changes');
  await page.goto('/inbox');
  await firstPull;
  const registered = () => page.evaluate(async () => !!(await navigator.serviceWorker.getRegistration()));
  // The frame's start has long run; with the first sync held, the install still waits.
  await page.waitForTimeout(1000);
  expect(await registered()).toBe(false);
  release();
  const frame = new AppFrame(page);
  await frame.waitUntilReadyOffline();

  // The sign-in page has no data to wait for: a person typing there already gets the offline app.
  const other = await page.context().browser()!.newPage();
  // The worker fills its precache from the build's one pack, not file by file.
  const fromWorker: string[] = [];
  other.context().on('request', (r) => {
    if (r.serviceWorker()) fromWorker.push(new URL(r.url()).pathname);
  });
  try {
    await other.goto(new URL('/login', page.url()).toString());
    await expect
      .poll(() => other.evaluate(async () => !!(await navigator.serviceWorker.getRegistration())), { timeout: 15_000 })
      .toBe(true);
    await expect
      .poll(() => other.evaluate(() => navigator.serviceWorker.ready.then((r) => r.active?.state)))
      .toBe('activated');
    expect(fromWorker.filter((p) => /^\/_app\/precache-.+\.bin$/.test(p))).toHaveLength(1);
    expect(fromWorker.filter((p) => p.startsWith('/_app/immutable/'))).toEqual([]);
    // Offline, a reload of the sign-in page is answered from that precache.
    await other.context().setOffline(true);
    await other.reload();
    await expect(other.locator('#username')).toBeVisible();
  } finally {
    await other.close();
  }
});
