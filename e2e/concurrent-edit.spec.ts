import { expect, test } from './support/region-server';
import { signedInPage, unique } from './fixtures';
import { NewTicketPage, TicketDetailPage } from './pages/tickets-page';

test('two people edit different fields of one ticket, one offline: both edits end up on both devices', async ({
  browser,
  baseURL
}) => {
  const teacher = await signedInPage(browser, baseURL!, 'ucitel.gymkt');
  const director = await signedInPage(browser, baseURL!, 'reditel.gymkt');
  const title = unique('Zvoní wifi router');
  const id = await new NewTicketPage(teacher.page).create({ title, description: 'Původní popis', priority: 'P3' });

  const onDirector = new TicketDetailPage(director.page);
  await onDirector.goto(id);
  await expect(onDirector.title).toHaveText(title, { timeout: 45_000 });

  await teacher.page.context().setOffline(true);
  const onTeacher = new TicketDetailPage(teacher.page);
  await onTeacher.edit({ description: 'Popis doplněný bez připojení' });
  await expect(onTeacher.description).toHaveText('Popis doplněný bez připojení');

  await onDirector.edit({ priority: 'P1' });
  await expect(onDirector.priority).toHaveText(/P1/);
  await director.frame.waitForSynced();

  await teacher.page.context().setOffline(false);
  await expect(onTeacher.priority).toHaveText(/P1/, { timeout: 45_000 });
  await expect(onTeacher.description).toHaveText('Popis doplněný bez připojení');
  await expect(onDirector.description).toHaveText('Popis doplněný bez připojení', { timeout: 45_000 });
  await expect(onDirector.priority).toHaveText(/P1/);

  await teacher.close();
  await director.close();
});
