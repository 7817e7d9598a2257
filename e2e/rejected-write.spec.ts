/**
 * A refused write, as it happens to real people: a teacher edits a ticket while offline, and
 * by the time the edit reaches the server it is not theirs to change (here: a colleague's
 * ticket, which the UI does not offer to edit, so the stale write is put into the local
 * database directly, as an older app version or a revoked right would leave it). The server
 * refuses it with a reason; the app keeps it, shows the reason, and keeps syncing the rest.
 */
import { expect, test } from './support/region-server';
import { signedInPage, unique } from './fixtures';
import { NewTicketPage, TicketDetailPage } from './pages/tickets-page';
import { getDoc, putDoc, signedInClient } from './support/gateway';

test('a write the server refuses is shown with its reason while other changes sync', async ({ browser, baseURL }) => {
  const director = await signedInClient(baseURL!, 'reditel.gymkt');
  const now = new Date().toISOString();
  const foreignId = `t-${Date.now().toString(36)}-dir`;
  const foreignTitle = unique('Ředitelův požadavek');
  const put = await putDoc(director, 'org_gym-kt_tickets', {
    id: foreignId,
    orgId: 'gym-kt',
    title: foreignTitle,
    description: 'Založil ředitel',
    category: 'cat-hardware',
    priority: 'P3',
    requester: 'reditel.gymkt',
    status: 'new',
    events: [],
    createdBy: 'reditel.gymkt',
    createdAt: now,
    updatedBy: 'reditel.gymkt',
    updatedAt: now
  });
  expect(put.status).toBe(201);

  const teacher = await signedInPage(browser, baseURL!, 'ucitel.gymkt');
  const detail = new TicketDetailPage(teacher.page);
  await detail.goto(foreignId);
  await expect(detail.title).toHaveText(foreignTitle, { timeout: 45_000 });
  await expect(teacher.page.getByRole('button', { name: 'Upravit' })).toHaveCount(0);

  await teacher.page.evaluate(
    async ({ id }) => {
      const db = (
        globalThis as unknown as {
          __ictDb: {
            collections: {
              tickets: { findOne(id: string): { exec(): Promise<{ incrementalPatch(p: object): Promise<unknown> }> } };
            };
          };
        }
      ).__ictDb;
      const doc = await db.collections.tickets.findOne(id).exec();
      await doc.incrementalPatch({
        title: 'Přepsáno učitelem',
        updatedBy: 'ucitel.gymkt',
        updatedAt: new Date().toISOString()
      });
    },
    { id: foreignId }
  );

  const ownTitle = unique('Vlastní požadavek');
  const ownId = await new NewTicketPage(teacher.page).create({ title: ownTitle });

  const dialog = await teacher.frame.openSyncDetails();
  await expect(dialog.getByTestId('rejected-list')).toContainText('Přepsáno učitelem', { timeout: 45_000 });
  await expect(dialog.getByTestId('rejected-reason')).toContainText(/requesters may change only/);

  const own = await getDoc(director, 'org_gym-kt_tickets', ownId);
  await expect
    .poll(async () => (await getDoc(director, 'org_gym-kt_tickets', ownId)).status, { timeout: 45_000 })
    .toBe(200);
  expect(own.status === 200 || own.status === 404).toBe(true);
  expect((await getDoc(director, 'org_gym-kt_tickets', foreignId)).body?.title).toBe(foreignTitle);

  await dialog.getByRole('button', { name: 'Zahodit' }).click();
  await expect(dialog.getByTestId('rejected-list')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Zavřít' }).click();
  await detail.goto(foreignId);
  await expect(detail.title).toHaveText(foreignTitle);

  await director.dispose();
  await teacher.close();
});
