import { expect, type Page } from '@playwright/test';

export interface NewInvoice {
  number: string;
  supplier: string;
  ico: string;
  amount: string;
  subject?: string;
  scan?: { name: string; mimeType: string; buffer: Buffer };
}

export class ApprovalsPage {
  constructor(readonly page: Page) {}

  async goto(view: 'mine' | 'all' = 'mine') {
    await this.page.goto(view === 'all' ? '/approvals?view=all' : '/approvals');
    await expect(this.page.getByRole('heading', { level: 1, name: /Schvalování dokladů/ })).toBeVisible();
  }

  row(number: string) {
    return this.page.getByTestId('approval-row').filter({ hasText: number });
  }

  /** Registers an invoice; resolves on its page with its id. */
  async registerInvoice(inv: NewInvoice): Promise<string> {
    await this.page.goto('/approvals/new');
    await this.page.locator('#f-type').selectOption('invoice');
    await this.page.locator('#f-number').fill(inv.number);
    await this.page.locator('#f-supplier').fill(inv.supplier);
    await this.page.locator('#f-ico').fill(inv.ico);
    await this.page.locator('#f-amount').fill(inv.amount);
    if (inv.subject) await this.page.locator('#f-subject').fill(inv.subject);
    if (inv.scan) await this.page.getByTestId('scan-input').setInputFiles(inv.scan);
    await this.page.getByRole('button', { name: /Zaevidovat a poslat/ }).click();
    await this.page.waitForURL(/\/approvals\/apv-/);
    return decodeURIComponent(new URL(this.page.url()).pathname.split('/').pop()!);
  }
}

export class ApprovalDetailPage {
  constructor(readonly page: Page) {}

  async goto(id: string) {
    await this.page.goto(`/approvals/${encodeURIComponent(id)}`);
    await expect(this.state).toBeVisible();
  }

  get state() {
    return this.page.getByTestId('approval-state');
  }
  get steps() {
    return this.page.getByTestId('approval-steps');
  }
  get refused() {
    return this.page.getByTestId('decision-refused');
  }

  async approve(comment = '') {
    if (comment) await this.page.locator('#d-comment').fill(comment);
    await this.page.getByTestId('approve').click();
  }

  async reject(reason: string) {
    await this.page.locator('#d-comment').fill(reason);
    await this.page.getByTestId('reject').click();
  }

  async openSheet() {
    await this.page.getByTestId('sheet-link').click();
    const sheet = this.page.getByTestId('approval-sheet');
    await expect(sheet).toBeVisible();
    return sheet;
  }
}
