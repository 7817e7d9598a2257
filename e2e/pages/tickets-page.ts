import { expect, type Page } from '@playwright/test';

export class TicketsPage {
  constructor(readonly page: Page) {}

  async goto() {
    await this.page.goto('/tickets');
    await expect(this.page.getByRole('heading', { level: 1 })).toBeVisible();
  }

  row(title: string) {
    return this.page.getByRole('link', { name: new RegExp(title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) });
  }

  async search(text: string) {
    await this.page.locator('#q').fill(text);
  }

  async showAll() {
    await this.page.locator('#status').selectOption('');
  }
}

export interface NewTicket {
  title: string;
  description?: string;
  site?: string;
  priority?: 'P1' | 'P2' | 'P3' | 'P4';
}

export class NewTicketPage {
  constructor(readonly page: Page) {}

  async goto() {
    await this.page.goto('/tickets/new');
    await expect(this.page.locator('#f-title')).toBeVisible();
  }

  /** Fills the form and submits; resolves on the new ticket's page with its id. */
  async create(t: NewTicket): Promise<string> {
    if (!/\/tickets\/new$/.test(this.page.url())) {
      // Client-side navigation, as a person does it: it works offline without the service worker too.
      if (!/\/tickets$/.test(new URL(this.page.url()).pathname)) {
        await this.page
          .getByRole('navigation', { name: /Hlavní navigace|Main navigation/ })
          .getByRole('link', { name: /^(Požadavky|Tickets)/ })
          .click();
      }
      await this.page.getByRole('link', { name: /^(Nový požadavek|New ticket)$/ }).click();
    }
    await this.page.locator('#f-title').fill(t.title);
    if (t.description) await this.page.locator('#f-description').fill(t.description);
    // The catalog syncs from the server; the first category is as good as any for a test.
    await expect(this.page.locator('#f-category option')).not.toHaveCount(1);
    await this.page.locator('#f-category').selectOption({ index: 1 });
    if (t.priority) await this.page.locator('#f-priority').selectOption(t.priority);
    if (t.site) await this.page.locator('#f-site').fill(t.site);
    await this.page.getByRole('button', { name: /Založit požadavek|Create ticket/ }).click();
    await this.page.waitForURL(/\/tickets\/t-[a-z0-9-]+$/);
    await expect(this.page.getByTestId('ticket-title')).toHaveText(t.title);
    return decodeURIComponent(new URL(this.page.url()).pathname.split('/').pop()!);
  }
}

export class TicketDetailPage {
  constructor(readonly page: Page) {}

  async goto(id: string) {
    await this.page.goto(`/tickets/${encodeURIComponent(id)}`);
  }

  get title() {
    return this.page.getByTestId('ticket-title');
  }
  get description() {
    return this.page.getByTestId('ticket-description');
  }
  get priority() {
    return this.page.getByTestId('ticket-priority');
  }
  get received() {
    return this.page.getByTestId('ticket-received');
  }

  async edit(fields: { description?: string; priority?: string; site?: string; title?: string }) {
    await this.page.getByRole('button', { name: /^(Upravit|Edit)$/ }).click();
    if (fields.title !== undefined) await this.page.locator('#e-title-input').fill(fields.title);
    if (fields.description !== undefined) await this.page.locator('#e-description').fill(fields.description);
    if (fields.priority !== undefined) await this.page.locator('#e-priority').selectOption(fields.priority);
    if (fields.site !== undefined) await this.page.locator('#e-site').fill(fields.site);
    await this.page.getByRole('button', { name: /^(Uložit|Save)$/ }).click();
    await expect(this.page.locator('#e-description')).toHaveCount(0);
  }

  async comment(text: string) {
    await this.page.locator('#comment').fill(text);
    await this.page.getByRole('button', { name: /Přidat komentář|Add comment/ }).click();
    await expect(this.page.getByTestId('timeline')).toContainText(text);
  }

  async attachPhoto(png: Buffer, name = 'zavada.png') {
    await this.page.getByTestId('photo-input').setInputFiles({ name, mimeType: 'image/png', buffer: png });
  }

  get photo() {
    return this.page.getByTestId('ticket-photo');
  }
}
