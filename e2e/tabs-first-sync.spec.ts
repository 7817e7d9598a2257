/**
 * A second tab opened while the first fills a new device's store follows the first sync, and
 * the edits after it: the first sync's pages reach other tabs as ids, which each reads from the
 * store itself, every other write whole (src/lib/db/tab-changes.ts).
 */
import { expect, test } from './support/region-server';
import { freshContext, signIn, unique } from './fixtures';
import { AppFrame } from './pages/app-frame';
import { NewTicketPage, TicketsPage } from './pages/tickets-page';

test('a second tab opened during the first sync lists what the first tab stores', async ({ browser, baseURL }) => {
  const context = await freshContext(browser, baseURL);
  const first = await context.newPage();
  // The first tab's requests for changes wait until the second tab is open and has listed the store.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let firstAsked = false;
  await first.route('**/api/changes', async (route) => {
    firstAsked = true;
    await held;
    await route.continue();
  });
  await signIn(first, 'ucitel.gymkt');
  // The first tab syncs (it leads): its first request for changes has left.
  await expect.poll(() => firstAsked, { timeout: 30_000 }).toBe(true);

  const second = await context.newPage();
  let secondAsked = 0;
  second.on('request', (req) => {
    if (new URL(req.url()).pathname === '/api/changes') secondAsked++;
  });
  await second.goto('/tickets');
  const count = second.getByTestId('ticket-count');
  // Nothing stored yet: the first tab has received nothing.
  await expect(count).toHaveText(/^\D*0\D*$/, { timeout: 30_000 });

  release();
  await new AppFrame(first).waitForSynced();
  // To the list within the app: a reload would hand the lead to the second tab.
  await first
    .getByRole('navigation', { name: /Hlavní navigace|Main navigation/ })
    .getByRole('link', { name: /^(Požadavky|Tickets)/ })
    .click();
  const stored = first.getByTestId('ticket-count');
  await expect(stored).toHaveText(/[1-9]/, { timeout: 30_000 });
  await expect(count).toHaveText((await stored.textContent())!, { timeout: 15_000 });
  // The same rows, read by the second tab from the store the first one filled.
  const firstRow = await first.locator('a[href^="/tickets/tkt-"]').first().getAttribute('href');
  await expect(second.locator(`a[href="${firstRow}"]`)).toBeVisible();
  // The second tab, which does not sync, shows the first tab's state (shared through the store).
  await new AppFrame(second).waitForSynced();

  // A ticket made in the first tab afterwards (an ordinary write, told whole) reaches the second's list.
  const title = unique('Nesvítí tabule');
  await new NewTicketPage(first).create({ title, description: 'Ve druhé třídě' });
  await expect(new TicketsPage(second).row(title)).toBeVisible({ timeout: 15_000 });
  // The second tab never asked the server: all it lists came from the first tab's writes.
  expect(secondAsked).toBe(0);
  await context.close();
});
