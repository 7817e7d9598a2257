import { expect, type Page } from '@playwright/test';

/** The administration's screens as an administrator uses them. */
export class AdminPages {
  constructor(readonly page: Page) {}

  async createOrg(o: { id: string; name: string; shortName: string; ico: string; district: string }) {
    await this.page.goto('/admin/orgs/new');
    await expect(this.page.getByRole('heading', { level: 1 })).toBeVisible();
    await this.page.locator('#org-id').fill(o.id);
    await this.page.locator('#org-ico').fill(o.ico);
    await this.page.locator('#org-name').fill(o.name);
    await this.page.locator('#org-shortName').fill(o.shortName);
    await this.page.locator('#org-kind-input').selectOption('school');
    await this.page.locator('#org-district-input').selectOption(o.district);
    await this.page.getByRole('button', { name: /Založit organizaci|Create organization/ }).click();
    await this.page.waitForURL(new RegExp(`/admin/orgs/${o.id}$`));
    await expect(this.page.getByRole('heading', { level: 1 })).toHaveText(o.name);
  }

  /** Creates a requester of `org`; returns the one-time code shown. */
  async createUser(u: { username: string; name: string; org: string }): Promise<string> {
    await this.page.goto('/admin/users/new');
    await this.page.locator('#user-username').fill(u.username);
    await this.page.locator('#user-name').fill(u.name);
    await this.page.locator('#user-home').selectOption(u.org);
    await this.page.getByRole('button', { name: /Přidat roli|Add a role/ }).click();
    await this.page.locator('#ms-role-0').selectOption('requester');
    await this.page.locator('#ms-org-0').selectOption(u.org);
    await this.page.getByRole('button', { name: /Založit uživatele|Create user/ }).click();
    const code = this.page.getByTestId('code-value');
    await expect(code).toBeVisible();
    return (await code.textContent())!.trim();
  }

  async openUser(username: string) {
    await this.page.goto(`/admin/users/${username}`);
    await expect(this.page.locator('#user-name')).toBeVisible();
  }

  async moveUser(username: string, org: string) {
    await this.openUser(username);
    await this.page.locator('#user-home').selectOption(org);
    await this.page.locator('#ms-org-0').selectOption(org);
    await this.page.getByRole('button', { name: /^(Uložit|Save)$/ }).click();
    await expect(this.page.getByRole('status').filter({ hasText: /Uloženo|Saved/ })).toBeVisible();
  }

  /**
   * Draws a road section: two clicks on the map show the mouse path works, then the route is
   * replaced by typed coordinates (the keyboard path) and saved.
   */
  async drawSection(sec: { id: string; name: string; roadNumber: string; district: string; path: [number, number][] }) {
    await this.page.goto('/admin/sections/new');
    const map = this.page.getByTestId('section-draw-map');
    await expect(map).toHaveAttribute('data-ready', 'true');
    await map.click({ position: { x: 200, y: 150 } });
    await map.click({ position: { x: 260, y: 190 } });
    await expect(this.page.getByTestId('section-points')).toContainText(/(Bodů|Points): 2/);
    await this.page.getByRole('button', { name: /^(Zpět|Undo)$/ }).click();
    await expect(this.page.getByTestId('section-points')).toContainText(/(Bodů|Points): 1/);
    await this.typeRoute(sec.path);
    await this.page.locator('#sec-roadNumber').fill(sec.roadNumber);
    await this.page.locator('#sec-name').fill(sec.name);
    await this.page.locator('#sec-district').selectOption(sec.district);
    await this.page.locator('#sec-order').selectOption('I');
    await this.page.locator('#sec-id').fill(sec.id);
  }

  /** A route typed into the coordinate field of the section's map. */
  async typeRoute(path: [number, number][]) {
    await this.page.locator('#sec-coords').fill(path.map(([a, b]) => `${a}, ${b}`).join('\n'));
    await this.page.getByRole('button', { name: /Použít souřadnice|Use coordinates/ }).click();
    await expect(this.page.getByTestId('section-points')).toContainText(new RegExp(`(Bodů|Points): ${path.length}`));
  }

  async saveSection() {
    await this.page.getByRole('button', { name: /Uložit úsek|Save section/ }).click();
    await expect(this.page.getByTestId('section-saved')).toBeVisible();
  }

  async deactivate(username: string) {
    await this.openUser(username);
    await this.page.getByRole('button', { name: /Zablokovat uživatele|Deactivate user/ }).click();
    await expect(this.page.getByRole('status').filter({ hasText: /zablokován|deactivated/ })).toBeVisible();
  }
}

/** The page where a person sets a password with a one-time code. */
export async function setPasswordWithCode(page: Page, username: string, code: string, password: string) {
  await page.goto('/login');
  await page.getByRole('link', { name: /jednorázový kód|one-time code/ }).click();
  // The sign-in page has a #username too: fill only once the code page has replaced it, or the
  // name goes into the page being left and the code form is sent without it.
  await page.waitForURL(/\/login\/code/);
  await page.locator('#code').waitFor();
  await page.locator('#username').fill(username);
  await page.locator('#code').fill(code);
  await page.locator('#new-password').fill(password);
  await page.locator('#repeat-password').fill(password);
  await page.getByRole('button', { name: /Nastavit heslo|Set password/ }).click();
}
