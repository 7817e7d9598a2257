import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './support/region-server';
import { type Page } from '@playwright/test';
import { phoneContext, signIn, unique } from './fixtures';
import { Navigation } from './pages/navigation';
import { AppFrame } from './pages/app-frame';
import { LoginPage } from './pages/login-page';
import { NewTicketPage } from './pages/tickets-page';

async function seriousViolations(page: Page) {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('the interface switches between Czech and English', async ({ page }) => {
  const login = new LoginPage(page);
  await login.goto();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Přihlášení');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await login.signIn('ucitel.gymkt');
  // The demo teacher has a task waiting: "my work" is the home.
  await page.waitForURL(/\/inbox$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('My work');
  await expect(page.getByRole('navigation', { name: 'Main navigation' })).toBeVisible();
  await new AppFrame(page).switchLocale();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Moje práce');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Moje práce');
});

test('no serious or critical accessibility violations on login, my work, list, create and detail', async ({ page }) => {
  await new LoginPage(page).goto();
  expect(await seriousViolations(page)).toEqual([]);

  await signIn(page, 'ucitel.gymkt');
  await new AppFrame(page).waitForSynced();
  await expect(page.getByTestId('inbox-item').first()).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  await page
    .getByRole('navigation', { name: 'Hlavní navigace' })
    .getByRole('link', { name: /^Požadavky/ })
    .click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Požadavky');
  expect(await seriousViolations(page)).toEqual([]);

  await page.getByRole('link', { name: 'Nový požadavek' }).click();
  await expect(page.locator('#f-title')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  await new NewTicketPage(page).create({ title: unique('Přístupnost'), description: 'Kontrola přístupnosti' });
  expect(await seriousViolations(page)).toEqual([]);
});

test('on a phone: a director\'s approvals with "more" open, the winter board and deník, the audit and catalog', async ({
  browser,
  baseURL
}) => {
  // Each page with what must be on it before it is checked.
  const pages = {
    'reditel.gymkt': [['/approvals', 'main [aria-pressed="true"]']],
    'silnicar.kt': [['/dispatch/report', '[data-testid="section-row"]']],
    dispecer: [['/dispatch/denik', '[data-testid="denik"] h2']],
    admin: [
      ['/admin/audit', '[data-testid="audit-table"] tbody tr'],
      ['/admin/catalog', '[data-testid="catalog-sla"] tbody tr']
    ]
  };
  for (const [user, paths] of Object.entries(pages)) {
    const context = await phoneContext(browser, baseURL, { width: 360, height: 780 });
    const page = await context.newPage();
    const nav = new Navigation(page);
    await nav.signInAndLand(user);
    for (const [path, content] of paths) {
      await page.goto(path);
      // The view's pressed button (approvals) was white on an undefined colour; the tables scroll sideways.
      await expect(page.locator(content).first()).toBeVisible({ timeout: 30_000 });
      if (await nav.more.isVisible()) await nav.more.click();
      expect(await seriousViolations(page), `${user} ${path}`).toEqual([]);
    }
    await context.close();
  }
});

test('the skip link moves focus to the main content', async ({ page }) => {
  await new LoginPage(page).goto();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Přeskočit na obsah' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('#main')).toBeFocused();
});
