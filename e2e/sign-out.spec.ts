/**
 * Signing out on a shared device: nothing made on it is wiped without being named (and
 * offered as a file first), a sign-out made offline still ends the session on the server (and
 * not the next person's), and the person's other windows sign out with it.
 */
import { expect, test } from './support/region-server';
import { request } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { signedInPage, unique } from './fixtures';
import { NewTicketPage, TicketDetailPage } from './pages/tickets-page';
import { samplePng, signedInClient } from './support/gateway';

test('the wipe warning names unsent changes and photos and offers them as a file first', async ({
  browser,
  baseURL
}) => {
  const { page, close } = await signedInPage(browser, baseURL!, 'ucitel.gymkt');
  await page.context().setOffline(true);
  const title = unique('Nefunkční projektor');
  await new NewTicketPage(page).create({ title, description: 'Bez sítě' });
  await new TicketDetailPage(page).attachPhoto(await samplePng(), 'projektor.png');
  await expect(new TicketDetailPage(page).photo).toBeVisible();

  await page.getByRole('button', { name: 'Odhlásit', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Odhlásit se' });
  await dialog.getByLabel('Smazat data z tohoto zařízení').check();
  const warning = dialog.getByTestId('logout-unsent');
  await expect(warning).toContainText(title);
  await expect(warning).toContainText('projektor.png');
  const wipe = dialog.getByRole('button', { name: 'Smazat data a odhlásit' });
  await expect(wipe).toBeDisabled();

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    dialog.getByRole('button', { name: 'Stáhnout kopii (JSON)' }).click()
  ]);
  const saved = JSON.parse(await readFile((await download.path())!, 'utf8')) as {
    items: { kind: string; label: string; doc?: { title?: string }; file?: string }[];
  };
  expect(saved.items.find((i) => i.kind === 'pending' && i.label === title)?.doc?.title).toBe(title);
  expect(saved.items.find((i) => i.kind === 'file' && i.label === 'projektor.png')?.file).toMatch(/^data:image\//);

  await dialog.getByLabel('Rozumím, že tyto věci se smažou.').check();
  await expect(wipe).toBeEnabled();
  await dialog.getByRole('button', { name: 'Zrušit' }).click();

  // When what would be lost cannot be read (a store that does not open), the wipe says so and
  // asks as if something would be lost, instead of going ahead as if nothing were.
  await page.evaluate(() => {
    const db = (globalThis as unknown as { __ictDb: { unsentWork: () => Promise<unknown> } }).__ictDb;
    db.unsentWork = () => Promise.reject(new Error('a store did not open'));
  });
  await page.getByRole('button', { name: 'Odhlásit', exact: true }).click();
  await dialog.getByLabel('Smazat data z tohoto zařízení').uncheck();
  await dialog.getByLabel('Smazat data z tohoto zařízení').check();
  await expect(dialog.getByTestId('logout-unsent-unknown')).toContainText('Nepodařilo se zjistit');
  await expect(wipe).toBeDisabled();
  await dialog.getByTestId('logout-unsent-unknown').getByLabel('Rozumím, že tyto věci se smažou.').check();
  await expect(wipe).toBeEnabled();
  await dialog.getByRole('button', { name: 'Zrušit' }).click();
  await close();
});

test("a sign-out made offline ends that session once the network is back, not the next person's; the other window signs out too", async ({
  browser,
  baseURL
}) => {
  const { page, close } = await signedInPage(browser, baseURL!, 'ucitel.gymkt');
  const cookies = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const oldSession = await request.newContext({ baseURL, extraHTTPHeaders: { cookie: cookies, origin: baseURL! } });
  expect((await oldSession.get('/api/me')).status()).toBe(200);
  // The device keeps the person's inbox and their lists as last shown, for a fast reload; they go with their sign-out.
  const inboxCopy = () => page.evaluate(() => localStorage.getItem('ict.inbox'));
  await expect.poll(inboxCopy, { timeout: 45_000 }).not.toBeNull();
  const listCopies = () =>
    page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('ict.page:')).length);
  await page.getByRole('link', { name: 'Požadavky', exact: true }).first().click();
  await expect(page.getByTestId('ticket-count')).toHaveText(/\d/, { timeout: 30_000 });
  await expect.poll(listCopies).toBe(1);

  // The same person's second window (a shared office computer).
  const other = await page.context().newPage();
  await other.goto('/tickets');
  await expect(other.getByTestId('ticket-count')).toHaveText(/\d/, { timeout: 30_000 });

  await page.context().setOffline(true);
  await page.getByRole('button', { name: 'Odhlásit', exact: true }).click();
  await page
    .getByRole('dialog', { name: 'Odhlásit se' })
    .getByRole('button', { name: 'Odhlásit', exact: true })
    .click();
  await page.waitForURL(/\/login$/);
  expect(await inboxCopy()).toBeNull();
  expect(await listCopies()).toBe(0);
  await other.waitForURL(/\/login$/);
  await expect(other.getByText('V jiném okně tohoto prohlížeče jste se odhlásili')).toBeVisible();
  await other.close();

  // The next person, online, opens the invitation an administrator sent them (the code page,
  // before any start of the app): the old session ends first, their new one stays.
  const admin = await signedInClient(baseURL!, 'admin');
  const username = unique('novy.ucitel')
    .toLowerCase()
    .replace(/[^a-z0-9.]/g, '');
  const created = await admin.post('/api/admin/users', {
    data: { username, name: 'Nový Učitel', memberships: [{ role: 'requester', org: 'gym-kt' }] }
  });
  expect(created.status()).toBe(201);
  const { code } = (await created.json()) as { code: string };
  await admin.dispose();
  await page.context().setOffline(false);
  await page.goto(`/login/code?u=${username}`);
  await page.locator('#code').fill(code);
  await page.locator('#new-password').fill('Šumava v zimě 2026');
  await page.locator('#repeat-password').fill('Šumava v zimě 2026');
  await page.getByRole('button', { name: 'Nastavit heslo' }).click();
  await page.waitForURL(/\/tickets$/, { timeout: 30_000 });
  await expect(page.getByTestId('ticket-count')).toHaveText(/\d/, { timeout: 30_000 });
  expect(page.url()).toMatch(/\/tickets$/);
  await expect.poll(async () => (await oldSession.get('/api/me')).status(), { timeout: 20_000 }).toBe(401);
  await oldSession.dispose();
  await close();
});
