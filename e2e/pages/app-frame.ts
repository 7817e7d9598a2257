import { expect, type Page } from '@playwright/test';

/** The frame around every signed-in page: header, sync status, navigation. */
export interface FirstSeen {
  dbOpen: boolean;
  text: string;
  inert: boolean;
}

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

  /** On a timeout the error carries what the sync details say (a refused change, a server error). */
  async waitForSynced() {
    try {
      await expect(this.syncStatus).toHaveText(/Synchronizováno|Synced/, { timeout: 45_000 });
    } catch (err) {
      const details = await this.openSyncDetails()
        .then((dialog) => dialog.innerText())
        .catch(() => '(the sync details could not be opened)');
      (err as Error).message += `\n\nSync details:\n${details.slice(0, 2000)}`;
      throw err;
    }
  }

  async openSyncDetails() {
    await this.syncStatus.click();
    const dialog = this.page.getByRole('dialog', { name: /Synchronizace|Synchronization/ });
    await expect(dialog).toBeVisible();
    return dialog;
  }

  /**
   * From the next load on, notes what the page was like when an element matching `selector`
   * was first put on it: whether the local database was open (`__ictDb`), the element's text and
   * whether it sat in an inert subtree. Noted in the page, so an element shown only briefly
   * (a reload served from the worker's cache) is not missed; the returned function reads it.
   */
  async noteFirst(selector: string): Promise<() => Promise<FirstSeen | undefined>> {
    await this.page.addInitScript((sel) => {
      const seen = new MutationObserver(() => {
        const el = document.querySelector(sel);
        if (!el) return;
        (globalThis as { __firstSeen?: FirstSeen }).__firstSeen = {
          dbOpen: '__ictDb' in globalThis,
          text: el.textContent ?? '',
          inert: !!el.closest('[inert]')
        };
        seen.disconnect();
      });
      seen.observe(document, { childList: true, subtree: true });
    }, selector);
    return () => this.page.evaluate(() => (globalThis as { __firstSeen?: FirstSeen }).__firstSeen);
  }

  /** `noteFirst`, reading only whether the database was open. */
  async noteDbOpenAtFirst(selector: string): Promise<() => Promise<boolean | undefined>> {
    const first = await this.noteFirst(selector);
    return async () => (await first())?.dbOpen;
  }

  /** Whether the local database is open in the page. */
  dbOpen(): Promise<boolean> {
    return this.page.evaluate(() => '__ictDb' in globalThis);
  }

  async switchLocale() {
    await this.page.getByRole('button', { name: /^(English|Čeština)$/ }).click();
  }
}
