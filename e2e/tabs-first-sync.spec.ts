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
  await first.route('**/api/changes', async (route) => {
    await held;
    await route.continue();
  });
  await signIn(first, 'ucitel.gymkt');

  const second = await context.newPage();
  await second.goto('/tickets');
  const count = second.getByTestId('ticket-count');
  // Nothing stored yet: the first tab (the leader, which syncs) has received nothing.
  await expect(count).toHaveText(/^\D*0\D*$/, { timeout: 30_000 });

  release();
  await new AppFrame(first).waitForSynced();
  await first.goto('/tickets');
  const stored = first.getByTestId('ticket-count');
  await expect(stored).toHaveText(/[1-9]/, { timeout: 30_000 });
  // The second tab never asked the server: what it lists came from the first tab's writes.
  await expect(count).toHaveText((await stored.textContent())!, { timeout: 15_000 });

  // A ticket made in the first tab afterwards (an ordinary write, told whole) reaches the second's list.
  const title = unique('Nesvítí tabule');
  await new NewTicketPage(first).create({ title, description: 'Ve druhé třídě' });
  await expect(new TicketsPage(second).row(title)).toBeVisible({ timeout: 15_000 });
  await context.close();
});
