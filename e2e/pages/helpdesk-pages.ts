import { expect, type Page } from '@playwright/test';

/** The phone quick report ("Nahlásit problém"). */
export class QuickReportPage {
  constructor(readonly page: Page) {}

  async open() {
    await this.page
      .getByRole('navigation', { name: /Hlavní navigace|Main navigation/ })
      .getByRole('link', { name: /Nahlásit problém|Report a problem/ })
      .click();
    await expect(this.page.getByRole('heading', { level: 1, name: /Nahlásit problém|Report a problem/ })).toBeVisible();
  }

  /** Fills and sends the report; returns the new ticket's id from the URL. */
  async report(input: { category: RegExp; text: string; photo?: Buffer }): Promise<string> {
    await this.page.getByText(input.category).click();
    await this.page.getByLabel(/Popište to krátce|Describe it briefly/).fill(input.text);
    if (input.photo)
      await this.page
        .getByTestId('quick-photo')
        .setInputFiles({ name: 'zavada.png', mimeType: 'image/png', buffer: input.photo });
    await this.page.getByRole('button', { name: /^(Odeslat|Send)$/ }).click();
    await this.page.waitForURL(/\/tickets\/tk-/);
    return decodeURIComponent(new URL(this.page.url()).pathname.split('/').pop()!);
  }
}

/** The lifecycle part of the ticket detail: actions, assignee, SLA. */
export class TicketWorkflow {
  constructor(readonly page: Page) {}

  get status() {
    return this.page.locator('.heading .badge');
  }
  get assignee() {
    return this.page.getByTestId('ticket-assignee');
  }
  get sla() {
    return this.page.getByTestId('sla-panel');
  }
  get resolution() {
    return this.page.getByTestId('ticket-resolution');
  }
  action(name: RegExp) {
    return this.page.getByTestId('ticket-actions').getByRole('button', { name });
  }

  /** Runs an action; `text` fills the question, answer, summary or reason it asks for. */
  async act(name: RegExp, text?: string) {
    await this.action(name).click();
    if (text !== undefined) {
      await this.page.locator('#act-text').fill(text);
      await this.page.getByTestId('action-submit').click();
    }
  }
}

/** The desk agent's queue. */
export class QueuePage {
  constructor(readonly page: Page) {}

  async goto() {
    await this.page
      .getByRole('navigation', { name: /Hlavní navigace|Main navigation/ })
      .getByRole('link', { name: /^(Fronta|Queue)$/ })
      .click();
    await expect(this.page.getByRole('heading', { level: 1, name: /Fronta požadavků|Ticket queue/ })).toBeVisible();
  }

  async search(text: string) {
    await this.page.getByRole('searchbox', { name: /Hledat|Search/ }).fill(text);
  }

  row(title: string) {
    return this.page.getByTestId('queue-row').filter({ hasText: title });
  }
}
