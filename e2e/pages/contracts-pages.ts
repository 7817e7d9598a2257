import { expect, type Page } from '@playwright/test';

export class LicencesPage {
  constructor(readonly page: Page) {}

  async goto() {
    await this.page.goto('/licences');
    await expect(this.page.getByRole('heading', { level: 1, name: 'Licence' })).toBeVisible();
  }

  row(product: RegExp | string) {
    return this.page.getByTestId('licence-row').filter({ hasText: product });
  }

  /** Fills the seat form; the verdict (refusal, warning or saved) is `verdict`. */
  async assign(agreement: RegExp, org: string, holder: string) {
    const form = this.page.getByTestId('seat-form');
    const option = form.locator('select[name=agreement] option').filter({ hasText: agreement });
    await form.locator('select[name=agreement]').selectOption((await option.first().getAttribute('value'))!);
    await form.locator('select[name=org]').selectOption(org);
    await form.locator('input[name=holder]').fill(holder);
    await form.getByRole('button', { name: 'Přidělit licenci' }).click();
  }

  get verdict() {
    return this.page.getByTestId('seat-verdict');
  }
}

export class ContractsPage {
  constructor(readonly page: Page) {}

  async goto() {
    await this.page.goto('/contracts');
    await expect(this.page.getByRole('heading', { level: 1, name: 'Smlouvy' })).toBeVisible();
  }

  row(text: RegExp | string) {
    return this.page.getByTestId('contract-row').filter({ hasText: text });
  }
}
