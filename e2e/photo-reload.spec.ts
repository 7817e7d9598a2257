/**
 * A phone reloads a background tab while offline, and the network returns while the tab is
 * asleep (no `online` event reaches the page): the photo taken before must still be sent
 * when the app runs again, without anyone touching it.
 */
import { expect, test } from './support/region-server';
import { signedInPage, unique } from './fixtures';
import { AppFrame } from './pages/app-frame';
import { NewTicketPage, TicketDetailPage } from './pages/tickets-page';
import { commentsOf, getDoc, samplePng, signedInClient } from './support/gateway';

test('a photo taken offline is sent after a reload, when the network returns', async ({ browser, baseURL }) => {
  const teacher = await signedInPage(browser, baseURL!, 'ucitel.gymkt', { viewport: { width: 390, height: 844 } });
  const { page, frame } = teacher;

  await page.context().setOffline(true);
  await expect(frame.syncStatus).toHaveText(/Bez připojení/);

  const id = await new NewTicketPage(page).create({ title: unique('Prasklé umyvadlo'), description: 'Foto v příloze' });
  const detail = new TicketDetailPage(page);
  await detail.attachPhoto(await samplePng());
  await expect(detail.photo).toBeVisible();
  const plain = await new NewTicketPage(page).create({ title: unique('Bez fotky'), description: 'Jen text' });

  await page.reload();
  await detail.goto(id);
  await expect(detail.photo).toBeVisible();
  // The tab goes away offline; the network comes back while no page is open.
  const context = page.context();
  await page.close();
  await context.setOffline(false);
  const again = await context.newPage();
  const againFrame = new AppFrame(again);
  await again.goto('/tickets');

  // Checked as another person of the organization, through the gateway.
  const director = await signedInClient(baseURL!, 'reditel.gymkt');
  let mediaId = '';
  await expect
    .poll(
      async () => {
        const comments = await commentsOf(director, 'gym-kt', id);
        mediaId = String(comments.find((c) => c.kind === 'attachment')?.mediaId ?? '');
        return mediaId ? (await getDoc(director, 'org_gym-kt_media', mediaId)).status : 0;
      },
      { timeout: 45_000, intervals: [1000] }
    )
    .toBe(200);
  const media = await getDoc(director, 'org_gym-kt_media', mediaId);
  expect(Object.keys((media.body?._attachments ?? {}) as object)).toEqual(['file']);
  expect(media.body?.createdBy).toBe('ucitel.gymkt');
  expect((await getDoc(director, 'org_gym-kt_tickets', plain)).status).toBe(200);
  // Nothing is left to send, photos included.
  await againFrame.waitForSynced();

  await director.dispose();
  await teacher.close();
});
