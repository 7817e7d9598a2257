/** Test data and signed-in pages shared by the specs. */
import { expect, type Browser, type BrowserContextOptions, type Page } from '@playwright/test';
import { AppFrame } from './pages/app-frame';
import { LoginPage } from './pages/login-page';

export const unique = (label: string) => `${label} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;

/** A fresh browser profile as the region's people use it: Czech, in Prague's time zone. */
export function freshContext(browser: Browser, baseURL: string | undefined, options: BrowserContextOptions = {}) {
  return browser.newContext({ baseURL, locale: 'cs-CZ', timezoneId: 'Europe/Prague', ...options });
}

/** A fresh profile on a phone of the given size (touch screen). */
export function phoneContext(
  browser: Browser,
  baseURL: string | undefined,
  viewport: { width: number; height: number }
) {
  return freshContext(browser, baseURL, { viewport, hasTouch: true });
}

/** A fresh browser profile signed in as `username`, with the app ready to work offline. */
export async function signedInPage(
  browser: Browser,
  baseURL: string,
  username: string,
  options: { viewport?: { width: number; height: number } } = {}
): Promise<{ page: Page; frame: AppFrame; close: () => Promise<void> }> {
  const context = await freshContext(browser, baseURL, options);
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
