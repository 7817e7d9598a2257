import { expect, type Page } from '@playwright/test';
import { renderSVG } from 'uqr';

/** `window.__ictScanner` of the scanner component (`src/lib/ui/scanner/test-hook.ts`). */
interface ScannerHook {
  feed(
    image: string,
    engine?: 'auto' | 'native' | 'polyfill'
  ): Promise<{ engine: string; codes: string[]; wasmUrl: string }>;
}

/** The stocktake screens as a committee member on a phone uses them. */
export class StocktakePage {
  constructor(readonly page: Page) {}

  async start(site: string) {
    await this.page.goto('/stocktake');
    const form = this.page.getByTestId('stocktake-start');
    await form.getByLabel('Místo (budova, pracoviště)').selectOption(site);
    await expect(form.getByText(/V evidenci této organizace/)).toBeVisible();
    await form.getByRole('button', { name: 'Zahájit inventuru' }).click();
    await expect(this.page).toHaveURL(/\/stocktake\/stocktake/);
    await expect(this.page.getByTestId('stocktake-state')).toHaveText('probíhá');
  }

  get banner() {
    return this.page.getByTestId('scan-result');
  }

  count(key: 'expected' | 'found' | 'moved' | 'surplus' | 'missing') {
    return this.page.getByTestId(`count-${key}`);
  }

  /** Inventory numbers still missing, as the page lists them. */
  async missing(): Promise<string[]> {
    return this.page.getByTestId('missing-list').locator('li strong').allTextContents();
  }

  /** Shows the scanner a printed label (the QR code our labels carry) through its test hook. */
  async showLabel(orgId: string, inventoryNo: string) {
    const svg = renderSVG(`ICT1|${orgId}|${inventoryNo}`);
    return this.page.evaluate(async (image) => {
      const hook = (window as unknown as { __ictScanner?: ScannerHook }).__ictScanner;
      if (!hook) throw new Error('no scanner on the page');
      return hook.feed(image, 'polyfill');
    }, svg);
  }

  async type(code: string) {
    await this.page.getByLabel('Inventární číslo (opsat ručně)').fill(code);
    await this.page.getByRole('button', { name: 'Zapsat' }).click();
  }

  async expectResult(outcome: 'found' | 'moved' | 'unknown' | 'duplicate', code: string) {
    await expect(this.banner).toHaveAttribute('data-code', code);
    await expect(this.banner).toHaveAttribute('data-outcome', outcome);
  }

  async close() {
    await this.page.getByRole('button', { name: 'Uzavřít inventuru' }).click();
    await this.page.getByRole('button', { name: 'Ano, uzavřít' }).click();
    await expect(this.page.getByTestId('stocktake-state')).toHaveText('uzavřena');
  }

  async openSoupis() {
    await this.page.getByRole('link', { name: 'Inventurní soupis' }).click();
    await expect(this.page.getByTestId('soupis')).toBeVisible();
  }

  proposal(text: RegExp) {
    return this.page.getByTestId('proposal').filter({ hasText: text });
  }
}
