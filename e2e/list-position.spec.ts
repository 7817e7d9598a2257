import type { Page } from '@playwright/test';
import { expect, test } from './support/region-server';
import { signedInPage } from './fixtures';
import { ApprovalsPage } from './pages/approvals-page';
import { TicketsPage } from './pages/tickets-page';

/** The first link of `selector` wholly inside `box` (the viewport when none), clicked; answers its address. */
async function openLinkInView(page: Page, selector: string, box?: string): Promise<string> {
  const href = await page.evaluate(
    ({ selector, box }) => {
      const frame = box ? document.querySelector(box)!.getBoundingClientRect() : { top: 0, bottom: window.innerHeight };
      const link = [...document.querySelectorAll<HTMLAnchorElement>(selector)].find((a) => {
        const r = a.getBoundingClientRect();
        return r.top > frame.top + 40 && r.bottom < frame.bottom - 40;
      });
      return link?.getAttribute('href') ?? null;
    },
    { selector, box }
  );
  expect(href, `a link of ${selector} in view`).not.toBeNull();
  await page.locator(`${selector}[href="${href}"]`).click();
  await page.waitForURL((u) => u.pathname === href);
  return href!;
}

/**
 * A scroll position once it has stopped moving. The wheel scrolls smoothly and `mouse.wheel`
 * does not wait for it: on a busy machine the list was still scrolling when a link in view was
 * picked, and the link left the rendered rows before it could be clicked.
 */
async function settled(position: () => Promise<number>): Promise<number> {
  let last = Number.NaN;
  await expect
    .poll(
      async () => {
        const now = await position();
        const still = now === last;
        last = now;
        return still;
      },
      { intervals: [150] }
    )
    .toBe(true);
  return last;
}

test('back from a ticket or an asset, the ticket list, the queue and the asset register are where the desk left them', async ({
  browser,
  baseURL
}) => {
  const desk = await signedInPage(browser, baseURL!, 'helpdesk');
  const tickets = new TicketsPage(desk.page);
  await tickets.goto();
  // Every status: the region's history, thousands of rows in the virtual list's own box.
  await tickets.showAll();
  const box = desk.page.getByRole('region', { name: /^Požadavky$/ });
  await expect(box.locator('a.ticket').first()).toBeVisible();
  await box.hover();
  for (let i = 0; i < 4; i++) {
    await desk.page.mouse.wheel(0, 1600);
    await desk.page.waitForTimeout(200);
  }
  await expect.poll(() => box.evaluate((e) => e.scrollTop)).toBeGreaterThan(3000);
  const left = await settled(() => box.evaluate((e) => e.scrollTop));

  const href = await openLinkInView(desk.page, 'a.ticket', '[role="region"]');
  await expect(desk.page.getByTestId('ticket-title')).toBeVisible();
  await desk.page.goBack();

  await expect(box.locator(`a[href="${href}"]`)).toBeInViewport();
  expect(Math.abs((await box.evaluate((e) => e.scrollTop)) - left)).toBeLessThan(100);
  // The heading still has the focus (the page change is announced) without scrolling the page.
  await expect(desk.page.getByRole('heading', { level: 1 })).toBeFocused();

  // The queue keeps its filters in the page, not in its address: they come back too.
  await desk.page.goto('/queue');
  await expect(desk.page.getByTestId('queue-row').first()).toBeVisible();
  await desk.page.locator('#qf-status').selectOption('closed');
  await expect(desk.page.getByTestId('queue-row')).toHaveCount(200);
  await desk.page.getByRole('button', { name: /^Zobrazit další/ }).click();
  await expect(desk.page.getByTestId('queue-row')).toHaveCount(400);
  await desk.page.getByTestId('queue-row').nth(300).scrollIntoViewIfNeeded();
  const queueLeft = await desk.page.evaluate(() => window.scrollY);
  expect(queueLeft).toBeGreaterThan(3000);

  const ticket = await openLinkInView(desk.page, '[data-testid="queue-row"] a');
  await expect(desk.page.getByTestId('ticket-title')).toBeVisible();
  await desk.page.goBack();

  await expect(desk.page.locator('#qf-status')).toHaveValue('closed');
  await expect(desk.page.locator(`[data-testid="queue-row"] a[href="${ticket}"]`)).toBeInViewport();
  expect(Math.abs((await desk.page.evaluate(() => window.scrollY)) - queueLeft)).toBeLessThan(100);

  // The asset register hands its place on to the page that shows it.
  await desk.page.goto('/assets');
  const register = desk.page.getByRole('region', { name: /^Majetek ICT$/ });
  await expect(register.getByTestId('asset-row').first()).toBeVisible();
  await register.hover();
  for (let i = 0; i < 3; i++) await desk.page.mouse.wheel(0, 1500);
  await expect.poll(() => register.evaluate((e) => e.scrollTop)).toBeGreaterThan(2000);
  const registerLeft = await settled(() => register.evaluate((e) => e.scrollTop));
  const asset = await openLinkInView(desk.page, '[data-testid="asset-row"]', '[role="region"]');
  await desk.page.goBack();
  await expect(register.locator(`a[href="${asset}"]`)).toBeInViewport();
  expect(Math.abs((await register.evaluate((e) => e.scrollTop)) - registerLeft)).toBeLessThan(100);
  await desk.close();
});

test('back from a document, the approvals list on a phone is where the director left it', async ({
  browser,
  baseURL
}) => {
  const director = await signedInPage(browser, baseURL!, 'reditel.gymkt', { viewport: { width: 375, height: 667 } });
  const list = new ApprovalsPage(director.page);
  await list.goto('all');
  await expect(director.page.getByTestId('approval-row').nth(8)).toBeVisible();
  await director.page.mouse.wheel(0, 700);
  await expect.poll(() => director.page.evaluate(() => window.scrollY)).toBeGreaterThan(500);
  const left = await settled(() => director.page.evaluate(() => window.scrollY));

  const href = await openLinkInView(director.page, '[data-testid="approval-row"] a[href^="/approvals/"]');
  await expect(director.page.getByRole('heading', { level: 1 })).not.toHaveText(/Schvalování dokladů/);
  await director.page.goBack();

  await expect(director.page.locator(`[data-testid="approval-row"] a[href="${href}"]`)).toBeInViewport();
  await expect.poll(() => director.page.evaluate(() => window.scrollY)).toBeGreaterThan(left - 50);

  // The filters this page keeps out of its address come back too (on a phone, behind their button).
  const number = (await director.page.locator(`a[href="${href}"] strong`).textContent())!.trim().split(' ').pop()!;
  await director.page.getByTestId('filters-toggle').click();
  await director.page.getByRole('searchbox').fill(number);
  await expect(director.page.getByTestId('approval-row')).toHaveCount(1);
  await director.page.locator(`a[href="${href}"]`).click();
  await director.page.waitForURL((u) => u.pathname === href);
  await director.page.goBack();
  await expect(director.page.getByTestId('filter-count')).toHaveText(/^1/);
  await director.page.getByTestId('filters-toggle').click();
  await expect(director.page.getByRole('searchbox')).toHaveValue(number);
  await expect(director.page.getByTestId('approval-row')).toHaveCount(1);
  await director.close();
});
