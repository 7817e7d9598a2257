/** Test data and signed-in pages shared by the specs. */
import { expect, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from '@playwright/test';
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

export interface SignedInPage {
  page: Page;
  frame: AppFrame;
  /** Closes the page; a device of its own (`device: 'new'`) is closed with it. */
  close: () => Promise<void>;
}

/**
 * Signed-in devices of this worker, one per person, kept between tests: a worker's tests share
 * its server, so a person's device already holds what earlier tests wrote. A sign-in with its
 * first sync and service worker costs a few CPU-seconds of the two cores the suite shares, and
 * most tests are about what a person does after it. Each test gets a new page (a new tab) of
 * the device; a failed test ends its worker, and with it these devices.
 */
const devices = new Map<string, Promise<BrowserContext>>();

/**
 * A page signed in as `username`, with the app ready to work offline. By default a tab of the
 * person's device in this worker (signed in by the first test that needed it); `device: 'new'`
 * signs in on a fresh profile, for tests whose subject is the device itself: its first sync, its
 * sign-out, changes it keeps after the server refused them.
 */
export async function signedInPage(
  browser: Browser,
  baseURL: string,
  username: string,
  options: { viewport?: { width: number; height: number }; device?: 'new' | 'shared' } = {}
): Promise<SignedInPage> {
  if (options.device === 'new') {
    const context = await freshContext(browser, baseURL, { viewport: options.viewport });
    const page = await context.newPage();
    await signIn(page, username);
    const frame = new AppFrame(page);
    await frame.waitUntilReadyOffline();
    return { page, frame, close: () => context.close() };
  }
  const key = `${baseURL} ${username}`;
  let device = devices.get(key);
  const first = !device;
  if (!device) {
    device = freshContext(browser, baseURL);
    devices.set(key, device);
  }
  const context = await device;
  const page = await context.newPage();
  if (options.viewport) await page.setViewportSize(options.viewport);
  if (first) await signIn(page, username);
  else await openHome(page);
  const frame = new AppFrame(page);
  await frame.waitUntilReadyOffline();
  return {
    page,
    frame,
    // What a test changed on the device (the network, routes, other tabs) is put back for the next.
    close: async () => {
      await context.setOffline(false);
      await context.unrouteAll({ behavior: 'ignoreErrors' });
      await Promise.all(context.pages().map((p) => p.close()));
    }
  };
}

/** The app opened on a signed-in device: its home page. */
async function openHome(page: Page) {
  await page.goto('/');
  await new LoginPage(page).waitForHome();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
}

export async function signIn(page: Page, username: string) {
  const login = new LoginPage(page);
  await login.goto();
  await login.signIn(username);
  await login.waitForHome();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
}
