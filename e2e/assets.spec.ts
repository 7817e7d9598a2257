/**
 * The asset register on a phone: the helpdesk finds the grammar school's projectors through
 * the filters, opens one (its lifecycle and history), asks for its retirement, then imports
 * a school's register exported by Excel in Windows-1250: a file with wrong columns is refused
 * with the reason, the real one is previewed and imported, and the same file again adds nothing.
 */
import { fileURLToPath } from 'node:url';
import { expect, test } from './support/region-server';
import { AppFrame } from './pages/app-frame';
import { LoginPage } from './pages/login-page';
import { Navigation } from './pages/navigation';

const fixture = (name: string) => fileURLToPath(new URL(`../src/lib/domain/assets/fixtures/${name}`, import.meta.url));

test.use({ viewport: { width: 390, height: 844 }, locale: 'cs-CZ', timezoneId: 'Europe/Prague' });

test('register list → detail → retirement request → import preview → import → import again', async ({ page }) => {
  test.setTimeout(120_000);
  const login = new LoginPage(page);
  await login.goto();
  await login.signIn('helpdesk');
  await login.waitForHome();
  await new AppFrame(page).waitForSynced();

  await page.goto('/assets');
  await expect(page.getByTestId('asset-count')).toHaveText(/\d/);
  // On a phone every row's title (inventory number and name) keeps its line; long details give way.
  await expect(page.getByTestId('asset-row').first()).toBeVisible();
  const squeezed = await page
    .getByTestId('asset-row')
    .evaluateAll((rows) =>
      rows
        .map((r) => r.querySelector<HTMLElement>('.title')!)
        .filter((t) => t.clientHeight < t.scrollHeight || !t.clientHeight)
    );
  expect(squeezed.length).toBe(0);
  await page.getByRole('button', { name: /Filtry|Filters/ }).click();
  await page.locator('#org').selectOption('gym-kt');
  await page.locator('#kind').selectOption('projector');
  await expect(page.getByTestId('asset-count')).toHaveText(/^Počet položek: 14$/);
  await page.locator('#state').selectOption('in_use');
  await expect(page.getByTestId('asset-count')).not.toHaveText(/^Počet položek: 14$/);
  await page.getByTestId('asset-row').first().click();

  await expect(page.getByTestId('asset-title')).toContainText('GYMKT-PROJ-');
  await expect(page.getByTestId('asset-history')).toContainText('Importováno');
  await page.locator('#retire-reason').fill('Nevyhovuje, lampa vyhořelá');
  await page.getByRole('button', { name: 'Požádat o vyřazení' }).click();
  await expect(page.getByTestId('retirement-pending')).toContainText('Nevyhovuje, lampa vyhořelá');
  await expect(page.getByTestId('asset-history')).toContainText('Žádost o vyřazení');

  await page.goto('/assets/import');
  await page.locator('#imp-org').selectOption('gym-kt');
  await page.getByTestId('import-file').setInputFiles(fixture('chybne-sloupce.csv'));
  await expect(page.getByTestId('import-file-errors')).toContainText('missing column "inventární číslo"');

  await page.getByTestId('import-file').setInputFiles(fixture('skola-evidence-cp1250.csv'));
  await expect(page.getByTestId('import-summary')).toHaveText('Přibude 40, změní se 0, beze změny 0, s chybou 0.');
  await expect(page.getByText('Počítač Dell OptiPlex 7010').first()).toBeVisible();
  await page.getByTestId('import-run').click();
  await expect(page.getByTestId('import-result')).toHaveText('Hotovo: přidáno 40, změněno 0, beze změny 0.');

  await page.getByTestId('import-file').setInputFiles(fixture('skola-evidence-cp1250.csv'));
  await expect(page.getByTestId('import-summary')).toHaveText('Přibude 0, změní se 0, beze změny 40, s chybou 0.');
  await expect(page.getByTestId('import-run')).toBeDisabled();

  await page.goto('/assets?org=gym-kt');
  await page.getByRole('button', { name: /Filtry|Filters/ }).click();
  await page.locator('#kind').selectOption('laptop');
  await expect(page.getByText('GJV-0001')).toBeVisible();
  await new AppFrame(page).waitForSynced();
});

test("a ticket names one of the school's assets; the asset's card lists the ticket", async ({ page }) => {
  // The card reads the device's own index by asset, which holds only tickets that name one.
  await new Navigation(page).signInAndLand('helpdesk');
  await page.goto('/tickets?status=all&org=gym-kt');
  const first = page.locator('a.ticket').first();
  await expect(first).toBeVisible({ timeout: 45_000 });
  const title = (await first.locator('.title').innerText()).trim();
  await first.click();
  const select = page.getByTestId('asset-select');
  const option = select.locator('option').nth(1);
  await expect(option).toBeAttached({ timeout: 30_000 });
  await select.selectOption((await option.getAttribute('value'))!);
  await page.getByRole('link', { name: 'Otevřít kartu majetku' }).click();
  await expect(page).toHaveURL(/\/assets\/[^/]+$/);
  await expect(page.locator('section[aria-labelledby="tickets-h"]')).toContainText(title, { timeout: 15_000 });
});
