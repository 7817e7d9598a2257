import { expect, test } from './support/region-server';
import { signedInPage, unique } from './fixtures';
import { NewTicketPage, TicketDetailPage, TicketsPage } from './pages/tickets-page';
import { commentsOf, getDoc, signedInClient } from './support/gateway';
import { localStoreFind } from './support/local-store';

test('a ticket created offline survives a reload, then reaches its organization and no one else, its comments too', async ({
  browser,
  baseURL
}) => {
  const { page, frame, close } = await signedInPage(browser, baseURL!, 'ucitel.gymkt');
  const title = unique('Nejde tisk v kabinetu');

  await page.context().setOffline(true);
  await expect(frame.syncStatus).toHaveText(/Bez připojení/);
  const id = await new NewTicketPage(page).create({ title, description: 'Vytvořeno bez sítě', site: 'Kabinet fyziky' });

  await page.reload();
  const detail = new TicketDetailPage(page);
  await expect(detail.title).toHaveText(title);
  await expect(detail.received).toHaveText(/zatím neodesláno/);
  // Offline, the app's scripts came from the precache by the worker's static route, read by
  // the browser itself (`service-worker.ts`), not through its fetch handler.
  const sources = await page.evaluate(() =>
    (performance.getEntriesByType('resource') as (PerformanceResourceTiming & { workerMatchedSourceType?: string })[])
      .filter((e) => e.name.includes('/_app/immutable/'))
      .map((e) => e.workerMatchedSourceType)
  );
  expect(sources.length).toBeGreaterThan(0);
  expect(new Set(sources)).toEqual(new Set(['cache']));
  const list = new TicketsPage(page);
  await list.goto();
  await expect(list.row(title)).toBeVisible();
  // Found offline by the device's own search index: words of the description typed without
  // diacritics, and a prefix of the site; a word no ticket has finds nothing.
  const token = title.split(' ').pop()!;
  await list.search(`vytvoreno bez site ${token}`);
  await expect(list.row(title)).toBeVisible();
  await expect(page.getByTestId('ticket-count')).toHaveText(/: 1$/);
  await list.search(`kabin fyzik ${token}`);
  await expect(list.row(title)).toBeVisible();
  await list.search(`${token} nikdenenalezeno`);
  await expect(page.getByText(/Filtru neodpovídá žádný požadavek|No ticket matches/)).toBeVisible();
  await list.search('');
  await expect(list.row(title)).toBeVisible();

  await page.context().setOffline(false);
  await detail.goto(id);
  await expect(detail.received).not.toHaveText(/zatím neodesláno|neuvedeno/, { timeout: 45_000 });

  const director = await signedInClient(baseURL!, 'reditel.gymkt');
  const seen = await getDoc(director, 'org_gym-kt_tickets', id);
  expect(seen.status).toBe(200);
  expect(seen.body?.title).toBe(title);
  expect(seen.body?.createdBy).toBe('ucitel.gymkt');

  const otherSchool = await signedInClient(baseURL!, 'ucitel.sosdo');
  const hidden = await getDoc(otherSchool, 'org_gym-kt_tickets', id);
  expect(hidden.status).toBeGreaterThanOrEqual(401);
  expect(hidden.status).toBeLessThan(500);
  expect(JSON.stringify(hidden.body)).not.toContain(title);

  // A comment is a document of its own, in the timeline with the lifecycle, read where the ticket is read.
  await detail.comment('Tiskne jen prázdné stránky.');
  await expect(page.getByTestId('timeline')).toContainText('Tiskne jen prázdné stránky.');
  await expect
    .poll(async () => (await commentsOf(director, 'gym-kt', id)).map((c) => c.text), { timeout: 45_000 })
    .toEqual(['Tiskne jen prázdné stránky.']);
  expect(await commentsOf(otherSchool, 'gym-kt', id)).toEqual([]);
  expect((await getDoc(director, 'org_gym-kt_tickets', id)).body?.events).not.toContainEqual(
    expect.objectContaining({ kind: 'comment' })
  );

  // A reload resumes the change stream from the position the device saved: it reads what
  // changed, not each of its nine data databases again.
  await expect.poll(() => localStoreFind(page, ['stream-position']), { timeout: 45_000 }).not.toEqual([]);
  const read = new Set<string>();
  page.on('request', (r) => {
    const { pathname } = new URL(r.url());
    const one = /\/couch\/([^/]+)\/_changes/.exec(pathname)?.[1];
    // The data layer asks for many databases' changes in one request (`POST /api/changes`).
    const batch = pathname === '/api/changes' ? Object.keys((r.postDataJSON() as { since?: object })?.since ?? {}) : [];
    // Photos sync through PouchDB's own replication, which reads its feed on every start.
    for (const db of [...(one ? [one] : []), ...batch]) if (!db.endsWith('_media')) read.add(db);
  });
  await page.reload();
  await expect(detail.title).toHaveText(title);
  await expect(page.getByTestId('timeline')).toContainText('Tiskne jen prázdné stránky.');
  await frame.waitForSynced();
  expect(read.size, [...read].join(', ')).toBeLessThanOrEqual(3);

  await director.dispose();
  await otherSchool.dispose();
  await close();
});
