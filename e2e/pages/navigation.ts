import { expect, type Page } from '@playwright/test';
import { LoginPage } from './login-page';

/** The main navigation and where a person lands after signing in. */
export class Navigation {
  constructor(readonly page: Page) {}

  get nav() {
    return this.page.getByRole('navigation', { name: /Hlavní navigace|Main navigation/ });
  }

  /** The row keys of the navigation, in order (`data-nav` of each item). */
  async rows(): Promise<string[]> {
    await expect(this.nav).toBeVisible();
    return this.nav.locator('[data-nav]').evaluateAll((els) => els.map((e) => e.getAttribute('data-nav') ?? ''));
  }

  /** The "more" entry of a phone's bottom bar, which lists the rows beyond the bar's room. */
  get more() {
    return this.page.getByTestId('nav-more');
  }

  /** Rows a phone shows in its bar itself (not in "more"). */
  async barRows(): Promise<string[]> {
    await expect(this.nav).toBeVisible();
    return this.nav
      .locator('[data-nav]')
      .evaluateAll((els) => els.filter((e) => e.checkVisibility()).map((e) => e.getAttribute('data-nav') ?? ''));
  }

  /** Follows a row of the navigation: on a phone, through "more" when the bar has no room for it. Returns its link. */
  async follow(id: string): Promise<string> {
    const inBar = this.nav.locator(`[data-nav="${id}"] a`);
    const throughMore = !(await inBar.isVisible());
    const link = throughMore ? this.nav.locator(`[data-more-nav="${id}"] a`) : inBar;
    if (throughMore) {
      await this.more.click();
      await expect(this.more).toHaveAttribute('aria-expanded', 'true');
    }
    const href = (await link.getAttribute('href'))!;
    await link.click();
    return href;
  }

  /** Signs in and returns the path of the page the app lands on. */
  async signInAndLand(username: string): Promise<string> {
    const login = new LoginPage(this.page);
    await login.goto();
    await login.signIn(username);
    await this.page.waitForURL((url) => url.pathname !== '/login');
    // A person whose roles have no screen stays on the root page, which says so.
    await expect(async () => {
      const root = new URL(this.page.url()).pathname === '/';
      expect(!root || (await this.page.getByTestId('home-nothing').isVisible())).toBe(true);
    }).toPass();
    await expect(this.page.getByRole('heading', { level: 1 })).toBeVisible();
    return new URL(this.page.url()).pathname;
  }
}

/** How much wider than the window the page is (0: nothing scrolls sideways). */
export function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** The ticket list as a phone shows it. */
export class PhoneTicketList {
  constructor(readonly page: Page) {}

  get filtersToggle() {
    return this.page.getByTestId('filters-toggle');
  }
  get filterCount() {
    return this.page.getByTestId('filter-count');
  }
  get search() {
    return this.page.getByRole('searchbox');
  }
  get rows() {
    return this.page.locator('a.ticket');
  }
}
