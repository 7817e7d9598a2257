/** Page models of the winter dispatch module: crew phone, dispatch desk, map, deník, IZS. */
import { expect, type Browser, type Page } from '@playwright/test';
import { AppFrame } from './app-frame';
import { freshContext } from '../fixtures';
import { LoginPage } from './login-page';

export const PHONE = { width: 390, height: 844 };

export interface WinterSession {
  page: Page;
  frame: AppFrame;
  close(): Promise<void>;
}

/** A fresh profile signed in as a winter role, landed on its home, ready to work offline. */
export async function winterSignIn(
  browser: Browser,
  baseURL: string,
  username: string,
  home: RegExp,
  opts: {
    viewport?: { width: number; height: number };
    geolocation?: { latitude: number; longitude: number; accuracy: number };
  } = {}
): Promise<WinterSession> {
  const context = await freshContext(browser, baseURL, {
    viewport: opts.viewport ?? PHONE,
    hasTouch: (opts.viewport ?? PHONE).width < 500,
    ...(opts.geolocation ? { geolocation: opts.geolocation, permissions: ['geolocation'] } : {})
  });
  // No tile server in tests: the map must stand on its own plain background.
  await context.route(/tile\.openstreetmap\.org/, (r) => r.abort());
  const page = await context.newPage();
  const login = new LoginPage(page);
  await login.goto();
  await login.signIn(username);
  await page.waitForURL(home);
  const frame = new AppFrame(page);
  await frame.waitUntilReadyOffline();
  return { page, frame, close: () => context.close() };
}

export class CrewPhone {
  constructor(readonly page: Page) {}

  async openReport() {
    await this.page.goto('/dispatch/report');
    await expect(this.page.getByTestId('crew-report')).toBeVisible();
  }

  async waitForGps() {
    await expect(this.page.getByTestId('gps-state')).toHaveAttribute('data-kind', 'fixed');
  }

  async report(type: string, severity: string, text: string, photo?: Buffer) {
    const form = this.page.getByTestId('crew-report');
    await form.getByText(type, { exact: true }).click();
    await form.getByText(severity, { exact: true }).click();
    if (photo)
      await form
        .getByTestId('report-photo')
        .setInputFiles({ name: 'naledi.png', mimeType: 'image/png', buffer: photo });
    await form.getByRole('textbox').fill(text);
    await form.getByRole('button', { name: /Odeslat hlášení/ }).click();
    await expect(this.page.getByTestId('report-saved')).toBeVisible();
  }

  chosenSection() {
    return this.page.getByTestId('crew-report').locator('input[name=section]:checked');
  }

  async treat() {
    await this.page.getByRole('tab', { name: 'Ošetření' }).click();
    const form = this.page.getByTestId('crew-treatment');
    await expect(form.locator('input[name=section]:checked')).toHaveCount(1);
    await form.getByText('Pluhování a posyp', { exact: true }).click();
    await form.getByRole('button', { name: /Zapsat ošetření/ }).click();
    await expect(this.page.getByTestId('treatment-saved')).toBeVisible();
  }

  pending() {
    return this.page.getByTestId('pending-entry');
  }
}

export class DispatchDesk {
  constructor(readonly page: Page) {}

  async open() {
    await this.page.goto('/dispatch');
    await expect(this.page.getByTestId('section-board')).toBeVisible();
  }

  report(text: string) {
    return this.page.getByTestId('incoming-report').filter({ hasText: text });
  }

  sectionRow(id: string) {
    return this.page.locator(`[data-testid=section-row][data-id="${id}"]`);
  }

  async assign(sectionId: string, crew: string, vehicle: string) {
    const row = this.sectionRow(sectionId);
    await row.getByRole('button', { name: 'Vyslat' }).click();
    await row.getByTestId('assign-crew').selectOption(crew);
    // The board names the crew as the directory does, not by login.
    const name = (await row.getByTestId('assign-crew').locator('option:checked').textContent())!.trim();
    await row.getByPlaceholder('Vozidlo').fill(vehicle);
    await row.getByRole('button', { name: 'Vyslat posádku' }).click();
    await expect(row).toContainText(name);
    await expect(row).not.toContainText(crew);
  }
}

export class WinterMapPage {
  constructor(readonly page: Page) {}

  async open() {
    await this.page.goto('/dispatch/map');
    await expect(this.page.getByTestId('winter-map')).toHaveAttribute('data-ready', 'true');
  }

  marker(reportId: string) {
    return this.page.locator(`path.report-${reportId}`);
  }

  async showList() {
    await this.page.getByRole('button', { name: 'Seznam' }).click();
    await expect(this.page.getByTestId('map-list')).toBeVisible();
  }
}
