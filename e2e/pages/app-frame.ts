import { expect, type Page } from '@playwright/test';

/** The frame around every signed-in page: header, sync status, navigation. */
export class AppFrame {
  constructor(readonly page: Page) {}

  get syncStatus() {
    return this.page.getByTestId('sync-status');
  }

  /** The service worker controls the page and the first sync has finished. */
  async waitUntilReadyOffline() {
    await this.page.waitForFunction(async () => {
      const reg = await navigator.serviceWorker.ready;
      return !!reg.active && !!navigator.serviceWorker.controller;
    });
    await this.waitForSynced();
  }

  async waitForSynced() {
    await expect(this.syncStatus).toHaveText(/Synchronizováno|Synced/, { timeout: 45_000 });
  }

  async openSyncDetails() {
    await this.syncStatus.click();
    const dialog = this.page.getByRole('dialog', { name: /Synchronizace|Synchronization/ });
    await expect(dialog).toBeVisible();
    return dialog;
  }

  async switchLocale() {
    await this.page.getByRole('button', { name: /^(English|Čeština)$/ }).click();
  }
}
