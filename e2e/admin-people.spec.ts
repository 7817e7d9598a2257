import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './support/region-server';
import { type Browser, type Page } from '@playwright/test';
import { freshContext, unique } from './fixtures';
import { LoginPage } from './pages/login-page';
import { AdminPages, setPasswordWithCode } from './pages/admin-pages';
import { AppFrame } from './pages/app-frame';
import { NewTicketPage, TicketsPage } from './pages/tickets-page';
import { getDoc, signedInClient } from './support/gateway';

const axeViolations = async (page: import('@playwright/test').Page) =>
  (await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()).violations.map(
    (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`
  );

/** The administrator makes a school and a teacher in it; the teacher sets a password with the code and reports a problem. */
async function schoolWithTeacher(browser: Browser, baseURL: string, checkScreens = false) {
  const suffix = Date.now().toString(36);
  const orgId = `zs-test-${suffix}`;
  const username = `ucitel.${suffix}`;
  // The administrator's home is the administration, not the ticket list the shared sign-in waits for.
  const adminContext = await freshContext(browser, baseURL);
  const admin = { page: await adminContext.newPage(), close: () => adminContext.close() };
  const login = new LoginPage(admin.page);
  await login.goto();
  await login.signIn('admin');
  await admin.page.waitForURL(/\/admin\/orgs$/);
  const pages = new AdminPages(admin.page);
  if (checkScreens) {
    // The form checks the IČO as it is typed.
    await admin.page.goto('/admin/orgs/new');
    await admin.page.locator('#org-ico').fill('70890367');
    await admin.page.locator('#org-ico').blur();
    await expect(admin.page.locator('#org-ico-problem')).toHaveText(/kontrolní číslici|check digit/);
    expect(await axeViolations(admin.page)).toEqual([]);
  }
  await pages.createOrg({
    id: orgId,
    name: `Základní škola ${suffix}`,
    shortName: `ZŠ ${suffix}`,
    ico: '70890366',
    district: 'KT'
  });
  if (checkScreens) {
    // The catalog's business hours and approval rules: new entries from a later day, axe clean.
    await admin.page.goto('/admin/catalog');
    await expect(admin.page.getByTestId('catalog-rule-sets')).toBeVisible();
    expect(await axeViolations(admin.page)).toEqual([]);
    await admin.page.locator('#cal-day').fill('2099-12-28');
    await admin.page.getByRole('button', { name: /Přidat den|Add day/ }).click();
    await admin.page.locator('#cal-from').fill('2099-12-01');
    await admin.page.getByRole('button', { name: /Uložit pracovní dobu|Save business hours/ }).click();
    await expect(admin.page.getByRole('status').filter({ hasText: /Uloženo|Saved/ })).toBeVisible();
    await admin.page.getByRole('button', { name: /Nová pravidla|New rules/ }).click();
    await admin.page.locator('#rules-name').fill('Pravidla 2099');
    await admin.page.locator('#rules-effectiveFrom').fill('2099-01-01');
    await admin.page.getByRole('button', { name: /Uložit pravidla|Save rules/ }).click();
    await expect(admin.page.getByTestId('catalog-rule-sets')).toContainText('Pravidla 2099');
    expect(await axeViolations(admin.page)).toEqual([]);
  }
  if (checkScreens) {
    // A new road section, its route typed as coordinates, appears on the winter map at once.
    const sectionId = `sec-kt-182-test-${suffix}`;
    await pages.drawSection({
      id: sectionId,
      name: `Klatovy – Švihov ${suffix}`,
      roadNumber: '182',
      district: 'KT',
      path: [
        [49.395, 13.295],
        [49.41, 13.29],
        [49.43, 13.284]
      ]
    });
    expect(await axeViolations(admin.page)).toEqual([]);
    await pages.saveSection();
    // Its route is redrawn from the catalog, checked and measured again like a new one.
    await admin.page.goto('/admin/catalog');
    await admin.page.getByRole('link', { name: `Překreslit trasu úseku II/182 Klatovy – Švihov ${suffix}` }).click();
    await expect(admin.page.getByTestId('section-points')).toContainText('Bodů: 3');
    await pages.typeRoute([
      [49.395, 13.295],
      [49.41, 13.29],
      [49.43, 13.284],
      [49.445, 13.28]
    ]);
    expect(await axeViolations(admin.page)).toEqual([]);
    await admin.page.getByRole('button', { name: 'Uložit trasu' }).click();
    await expect(admin.page.getByTestId('section-saved')).toContainText(/Trasa úseku .* je uložena/);
    await admin.page.getByRole('link', { name: /mapě zimní údržby|winter maintenance map/ }).click();
    await expect(admin.page.locator(`path.section-${sectionId}`)).toHaveCount(1, { timeout: 30_000 });
    // The lists, the import and the audit (the section just drawn is in it), axe clean too.
    for (const [path, testId] of [
      ['/admin/orgs', 'admin-orgs'],
      ['/admin/users', 'admin-users'],
      ['/admin/audit', 'audit-table']
    ] as const) {
      await admin.page.goto(path);
      await expect(admin.page.getByTestId(testId)).toBeVisible();
      expect(await axeViolations(admin.page)).toEqual([]);
    }
    await expect(admin.page.getByTestId('audit-table')).toContainText(sectionId);
    await admin.page.goto('/admin/import');
    await expect(admin.page.getByRole('heading', { level: 1 })).toBeVisible();
    expect(await axeViolations(admin.page)).toEqual([]);
  }
  const code = await pages.createUser({ username, name: 'Mgr. Test Učitel', org: orgId });
  expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  if (checkScreens) expect(await axeViolations(admin.page)).toEqual([]);

  const context = await freshContext(browser, baseURL);
  const teacher = await context.newPage();
  await setPasswordWithCode(teacher, username, code, 'Šumava v zimě 2026');
  await expect(teacher.getByRole('alert')).toHaveCount(0);
  await expect(teacher).toHaveURL(/\/tickets$/, { timeout: 30_000 });
  const frame = new AppFrame(teacher);
  await frame.waitForSynced();
  const title = unique('Nefunguje projektor');
  const ticketId = await new NewTicketPage(teacher).create({ title });
  const adminClient = await signedInClient(baseURL, 'admin');
  await expect
    .poll(async () => (await getDoc(adminClient, `org_${orgId}_tickets`, ticketId)).status, { timeout: 30_000 })
    .toBe(200);
  return {
    orgId,
    username,
    pages,
    teacher,
    frame,
    title,
    adminClient,
    close: async () => {
      await adminClient.dispose();
      await context.close();
      await admin.close();
    }
  };
}

/** Tickets of `orgId` held in the device's own store (what is on the device, not what a screen shows). */
const ticketsOnDevice = (page: Page, orgId: string) =>
  page.evaluate(async (org) => {
    const db = (
      globalThis as unknown as {
        __ictDb: { collections: { tickets: { find(q: object): { exec(): Promise<unknown[]> } } } };
      }
    ).__ictDb;
    return (await db.collections.tickets.find({ selector: { orgId: org } }).exec()).length;
  }, orgId);

test('a teacher the administrator created signs in with the one-time code and reports a problem; moved to another school online and offline, the device follows; deactivated, the open app is signed out within seconds', async ({
  browser,
  baseURL
}) => {
  test.setTimeout(300_000);
  const s = await schoolWithTeacher(browser, baseURL!, true);
  const list = new TicketsPage(s.teacher);
  // The list's own row, not the notification toast that may name the same ticket.
  const row = (title: string) => s.teacher.getByRole('main').getByRole('link', { name: new RegExp(title) });
  const other = 'sos-do';

  // On a phone the account page is one tap away in the header.
  await s.teacher.setViewportSize({ width: 390, height: 844 });
  await s.teacher.getByTestId('account-link').click();
  await expect(s.teacher).toHaveURL(/\/account$/);
  await s.teacher.setViewportSize({ width: 1280, height: 900 });

  // Moved while the app is open: the first school's data leaves the device, the second's arrives,
  // and the next report goes to the second school.
  await list.goto();
  await expect(row(s.title)).toBeVisible();
  await s.pages.moveUser(s.username, other);
  await expect(row(s.title)).toHaveCount(0, { timeout: 30_000 });
  await expect.poll(() => ticketsOnDevice(s.teacher, s.orgId), { timeout: 30_000 }).toBe(0);
  await expect.poll(() => ticketsOnDevice(s.teacher, other), { timeout: 30_000 }).toBeGreaterThan(0);
  const inOther = await new NewTicketPage(s.teacher).create({ title: unique('Nejde Wi-Fi') });
  await expect
    .poll(async () => (await getDoc(s.adminClient, `org_${other}_tickets`, inOther)).status, { timeout: 30_000 })
    .toBe(200);

  // Moved back while the device is offline with a report for the school it no longer belongs to:
  // back online, that report is shown as refused with a reason the teacher can read, nothing of the
  // second school stays, and the first school's data comes back.
  await s.frame.waitForSynced();
  await s.teacher.context().setOffline(true);
  const stranded = unique('Rozbitá klávesnice');
  const strandedId = await new NewTicketPage(s.teacher).create({ title: stranded });
  await s.pages.moveUser(s.username, s.orgId);
  await s.teacher.context().setOffline(false);
  await expect.poll(() => ticketsOnDevice(s.teacher, other), { timeout: 45_000 }).toBe(0);
  await expect.poll(() => ticketsOnDevice(s.teacher, s.orgId), { timeout: 45_000 }).toBeGreaterThan(0);
  const details = await s.frame.openSyncDetails();
  await expect(details.getByTestId('rejected-list')).toContainText(stranded);
  await expect(details.getByTestId('rejected-reason')).toHaveText(new RegExp(`${other}.*odebrán`));
  // Read and understood, the teacher gives it up (a copy could be kept when signing out).
  await details.getByRole('button', { name: /^(Zahodit|Discard)$/ }).click();
  await expect(details.getByTestId('rejected-list')).toHaveCount(0);
  await details.getByRole('button', { name: /^(Zavřít|Close)$/ }).click();
  expect((await getDoc(s.adminClient, `org_${other}_tickets`, strandedId)).status).toBe(404);
  await list.goto();
  await expect(row(s.title)).toBeVisible({ timeout: 30_000 });

  await s.frame.waitForSynced();
  const started = Date.now();
  await s.pages.deactivate(s.username);
  await s.teacher.waitForURL(/\/login$/, { timeout: 30_000 });
  const seconds = (Date.now() - started) / 1000;
  test.info().annotations.push({ type: 'deactivation-to-signed-out', description: `${seconds.toFixed(1)} s` });
  console.log(`deactivation to signed out: ${seconds.toFixed(1)} s`);
  await s.close();
});
