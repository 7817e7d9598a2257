import { expect, type Page } from '@playwright/test';

export class TasksPage {
  constructor(readonly page: Page) {}

  async goto() {
    await this.page.goto('/tasks');
    await expect(this.page.getByRole('heading', { level: 1, name: 'Úkoly' })).toBeVisible();
  }

  async issue(title: string, due: string, orgNames: string[], remind?: string) {
    await this.page.locator('#t-title').fill(title);
    await this.page.locator('#t-desc').fill('Zašlete soupis do termínu.');
    await this.page.locator('#t-due').fill(due);
    if (remind !== undefined) await this.page.locator('#t-remind').fill(remind);
    for (const name of orgNames) await this.page.getByRole('checkbox', { name }).check();
    await this.page.getByRole('button', { name: 'Zadat úkol', exact: true }).click();
    await expect(this.page.getByRole('status').filter({ hasText: /Úkol zadán/ })).toBeVisible();
  }

  rollup(title: string) {
    return this.page.getByTestId('issue-rollup').filter({ hasText: title });
  }

  taskLink(title: string) {
    return this.page.getByTestId('task-row').filter({ hasText: title }).getByRole('link');
  }
}

export class TaskDetailPage {
  constructor(readonly page: Page) {}

  get state() {
    return this.page.getByTestId('task-state');
  }

  async act(action: string) {
    await this.page.getByTestId(`task-${action}`).click();
  }

  async assign(workerName: string) {
    await this.page.locator('#a-worker').selectOption({ label: workerName });
    await this.page.getByRole('button', { name: 'Předat pracovníkovi' }).click();
  }
}

/** "My work": the inbox, reached from the navigation row with its count badge. */
export class InboxPage {
  constructor(readonly page: Page) {}

  get navRow() {
    return this.page.getByRole('navigation', { name: 'Hlavní navigace' }).locator('[data-nav="inbox"]');
  }

  async open() {
    await this.navRow.getByRole('link').click();
    await expect(this.page.getByRole('heading', { level: 1, name: 'Moje práce' })).toBeVisible();
  }

  group(urgency: 'overdue' | 'today' | 'soon' | 'later') {
    return this.page.locator(`section[data-group="${urgency}"]`);
  }

  item(title: string) {
    return this.page.getByTestId('inbox-item').filter({ hasText: title });
  }
}
