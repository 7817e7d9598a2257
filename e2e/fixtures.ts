/** Test data and signed-in pages shared by the specs. */
import { expect, type Browser, type Page } from '@playwright/test';
import { AppFrame } from './pages/app-frame';
import { LoginPage } from './pages/login-page';

export const unique = (label: string) => `${label} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;

/** A fresh browser profile signed in as `username`, with the app ready to work offline. */
export async function signedInPage(
  browser: Browser,
  baseURL: string,
  username: string,
  options: { viewport?: { width: number; height: number } } = {}
): Promise<{ page: Page; frame: AppFrame; close: () => Promise<void> }> {
  const context = await browser.newContext({ baseURL, locale: 'cs-CZ', timezoneId: 'Europe/Prague', ...options });
  const page = await context.newPage();
  await signIn(page, username);
  const frame = new AppFrame(page);
  await frame.waitUntilReadyOffline();
  return { page, frame, close: () => context.close() };
}

export async function signIn(page: Page, username: string) {
  const login = new LoginPage(page);
  await login.goto();
  await login.signIn(username);
  await login.waitForHome();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
}
