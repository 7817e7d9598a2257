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

  /**
   * From the next load on, notes whether the local database was open (`__ictDb`) when an element
   * matching `selector` was first put on the page; the returned function reads that note.
   */
  async noteDbOpenAtFirst(selector: string): Promise<() => Promise<boolean | undefined>> {
    await this.page.addInitScript((sel) => {
      const seen = new MutationObserver(() => {
        if (!document.querySelector(sel)) return;
        (globalThis as { __dbAtFirst?: boolean }).__dbAtFirst = '__ictDb' in globalThis;
        seen.disconnect();
      });
      seen.observe(document, { childList: true, subtree: true });
    }, selector);
    return () => this.page.evaluate(() => (globalThis as { __dbAtFirst?: boolean }).__dbAtFirst);
  }

  /** Whether the local database is open in the page. */
  dbOpen(): Promise<boolean> {
    return this.page.evaluate(() => '__ictDb' in globalThis);
  }

  async switchLocale() {
    await this.page.getByRole('button', { name: /^(English|Čeština)$/ }).click();
  }
}
