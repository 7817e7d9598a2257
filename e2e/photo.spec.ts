import { expect, test } from './support/region-server';
import { signedInPage, unique } from './fixtures';
import { NewTicketPage, TicketDetailPage } from './pages/tickets-page';
import { samplePng } from './support/gateway';

test('a photo attached offline reaches another person of the organization after sync', async ({ browser, baseURL }) => {
  const teacher = await signedInPage(browser, baseURL!, 'ucitel.gymkt');
  await teacher.page.context().setOffline(true);
  const title = unique('Rozbitá zásuvka');
  const id = await new NewTicketPage(teacher.page).create({ title, description: 'Viz fotografie' });
  const onTeacher = new TicketDetailPage(teacher.page);
  await onTeacher.attachPhoto(await samplePng());
  await expect(onTeacher.photo).toBeVisible();
  await teacher.page.context().setOffline(false);
  await expect(onTeacher.received).not.toHaveText(/zatím neodesláno|neuvedeno/, { timeout: 45_000 });

  const director = await signedInPage(browser, baseURL!, 'reditel.gymkt');
  const onDirector = new TicketDetailPage(director.page);
  await onDirector.goto(id);
  await expect(onDirector.title).toHaveText(title, { timeout: 45_000 });
  await expect(onDirector.photo).toBeVisible({ timeout: 45_000 });
  await expect.poll(() => onDirector.photo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);

  await teacher.close();
  await director.close();
});
