import type { Page } from '@playwright/test';

/** The internal notes panel of the ticket detail (staff only). */
export class NotesPanel {
  constructor(readonly page: Page) {}

  get panel() {
    return this.page.getByTestId('notes');
  }
  get notes() {
    return this.panel.getByTestId('note');
  }

  async add(text: string) {
    await this.panel.getByLabel(/Interní poznámka|Internal note/).fill(text);
    await this.panel.getByRole('button', { name: /Přidat poznámku|Add note/ }).click();
  }
}
