import { expect, type Page } from '@playwright/test';

export class LoginPage {
  constructor(readonly page: Page) {}

  async goto() {
    await this.page.goto('/login');
    await expect(this.page.locator('#username')).toBeVisible();
  }

  async signIn(username: string, password = 'demo') {
    await this.page.locator('#username').fill(username);
    await this.page.locator('#password').fill(password);
    await this.page.locator('form button[type=submit]').click();
  }

  /** Signed in: the app sends each person to their home page (never back to the root or the login). */
  async waitForHome() {
    await this.page.waitForURL((url) => url.pathname !== '/login' && url.pathname !== '/');
  }

  get error() {
    return this.page.getByRole('alert');
  }
}
