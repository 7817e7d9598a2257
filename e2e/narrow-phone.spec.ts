/**
 * The narrowest phone in use (320 px): every page of each role's navigation fits without
 * scrolling sideways, and the header keeps its buttons on screen. Its own file, each role a test
 * of its own, so that the walks (about a minute together) spread over the workers.
 */
import { expect, test } from './support/region-server';
import { phoneContext } from './fixtures';
import { Navigation, sidewaysOverflow } from './pages/navigation';

// Each role's walk is its own test, spread over the workers.
test.describe.configure({ mode: 'parallel' });

// The desk (wide tables: queue, licences, phones), the dispatcher (the section board with its
// actions), the department (a task's roll-up table) and a director (approvals, report charts).
for (const user of ['helpdesk', 'dispecer', 'odbor.skolstvi', 'reditel.gymkt']) {
  test(`${user} on a 320 px phone (the narrowest in use): no page of the navigation scrolls sideways; the header keeps its buttons on screen`, async ({
    browser,
    baseURL
  }) => {
    const context = await phoneContext(browser, baseURL, { width: 320, height: 640 });
    const page = await context.newPage();
    const nav = new Navigation(page);
    await nav.signInAndLand(user);
    const logout = page.getByRole('button', { name: 'Odhlásit', exact: true });
    const box = await logout.boundingBox();
    expect(box!.x + box!.width, `${user}: sign-out button`).toBeLessThanOrEqual(320);
    expect(box!.height, `${user}: sign-out button is a touch target`).toBeGreaterThanOrEqual(44);
    await expect(page.getByRole('button', { name: 'English' })).toBeVisible();
    // At most five entries in the bar, so that each label keeps a tap's width; the rest under "more".
    const rows = await nav.rows();
    const bar = await nav.barRows();
    if (rows.length > 5) {
      expect(bar, user).toEqual(rows.slice(0, 4));
      // Escape closes the list and leaves the focus on its button.
      await nav.more.click();
      await expect(nav.more).toHaveAttribute('aria-expanded', 'true');
      await page.keyboard.press('Escape');
      await expect(nav.more).toHaveAttribute('aria-expanded', 'false');
      await expect(nav.more).toBeFocused();
    } else expect(bar, user).toEqual(rows);
    for (const id of rows) {
      const href = await nav.follow(id);
      await expect(page).toHaveURL((url) => url.pathname.startsWith(href.split('?')[0]));
      await expect(page.locator('main h1')).toBeVisible();
      // A screen reader is told that the page changed: the focus is on the new page's heading.
      await expect(page.locator('main h1')).toBeFocused();
      await expect(page.locator('main [aria-busy="true"]')).toHaveCount(0, { timeout: 30_000 });
      // Tables arrive with the page's data: the width is read a few times while it fills.
      for (let i = 0; i < 2; i++) {
        await page.waitForTimeout(250);
        expect(await sidewaysOverflow(page), `${user} ${href}`).toBe(0);
      }
      // A page reached through "more" closes its list and marks "more" as where the person is.
      if (!bar.includes(id)) {
        await expect(nav.more).toHaveAttribute('aria-expanded', 'false');
        await expect(nav.more).toHaveAttribute('aria-current', 'page');
        // Choosing the page already open closes the list as well.
        await nav.more.click();
        await nav.nav.locator(`[data-more-nav="${id}"] a`).click();
        await expect(nav.more).toHaveAttribute('aria-expanded', 'false');
      }
    }
    await context.close();
  });
}
