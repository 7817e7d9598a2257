/**
 * Internal notes in the browser: the district's contractor reads the helpdesk's notes on a
 * ticket and adds one; the helpdesk sees it on its own device; the teacher who reported the
 * ticket sees no notes section, and their device's IndexedDB holds none of the notes, while
 * it does hold the ticket.
 */
import { expect, test } from './support/region-server';
import { signedInPage, unique } from './fixtures';
import { NotesPanel } from './pages/notes-panel';
import { localStoreFind } from './support/local-store';

const TICKET = 'tkt-gym-kt-0002';
const DEMO_NOTE = 'Náhradní válec objednán';

test('staff write and read internal notes; the requester never receives them', async ({ browser, baseURL }) => {
  test.setTimeout(180_000);
  const text = unique('Interní: zákazník má starý ovladač tiskárny');

  const tech = await signedInPage(browser, baseURL!, 'technik.kt');
  await tech.page.goto(`/tickets/${TICKET}`);
  const techNotes = new NotesPanel(tech.page);
  await expect(techNotes.panel).toContainText(DEMO_NOTE);
  await techNotes.add(text);
  await expect(techNotes.notes.last()).toContainText(text);
  await tech.frame.waitForSynced();

  const agent = await signedInPage(browser, baseURL!, 'helpdesk');
  await agent.page.goto(`/tickets/${TICKET}`);
  await expect(new NotesPanel(agent.page).panel).toContainText(text, { timeout: 45_000 });

  const teacher = await signedInPage(browser, baseURL!, 'ucitel.gymkt');
  await teacher.page.goto(`/tickets/${TICKET}`);
  const title = await teacher.page.getByTestId('ticket-title').textContent();
  expect(title).toBeTruthy();
  await expect(new NotesPanel(teacher.page).panel).toHaveCount(0);
  await expect(teacher.page.locator('main')).not.toContainText(DEMO_NOTE);
  await teacher.frame.waitForSynced();
  // The device holds the ticket (the search sees the store) but none of its notes.
  expect(await localStoreFind(teacher.page, [title!])).not.toEqual([]);
  expect(await localStoreFind(teacher.page, [DEMO_NOTE, text])).toEqual([]);

  await Promise.all([tech.close(), agent.close(), teacher.close()]);
});
