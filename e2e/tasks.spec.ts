import { expect, test } from './support/region-server';
import { signedInPage, unique } from './fixtures';
import { InboxPage, TaskDetailPage, TasksPage } from './pages/tasks-page';
import { samplePng } from './support/gateway';

test('a task goes down to a teacher, is completed offline with an attachment, and comes back up: 1 of 3 done, accepted', async ({
  browser,
  baseURL
}) => {
  test.setTimeout(180_000);
  const title = unique('Soupis ICT');
  const due = new Date(Date.now() + 14 * 864e5).toISOString().slice(0, 10);

  const dept = await signedInPage(browser, baseURL!, 'odbor.skolstvi');
  const issuer = new TasksPage(dept.page);
  await issuer.goto();
  // Reminders 20 and 1 day before the deadline: 14 days ahead, the task is already "approaching".
  await issuer.issue(
    title,
    due,
    ['Gymnázium Jaroslava Vrchlického, Klatovy', 'Střední odborná škola Domažlice', 'Gymnázium Tachov'],
    '20, 1'
  );
  await expect(issuer.rollup(title).getByTestId('issue-summary')).toContainText('Splněno 0 z 3');
  await dept.frame.waitForSynced();

  // The director finds it in "my work" (counted in the navigation badge), with its reminder.
  const director = await signedInPage(browser, baseURL!, 'reditel.gymkt');
  const inbox = new InboxPage(director.page);
  await inbox.open();
  await expect(inbox.navRow.getByTestId('nav-badge')).toHaveText(/^\d+/);
  const item = inbox.group('soon').getByTestId('inbox-item').filter({ hasText: title });
  await expect(item).toContainText('na řadě jste vy: Převzít', { timeout: 45_000 });
  await expect(item.getByTestId('inbox-mark')).toHaveText(/připomínka: termín za 1[34] d\./);
  await item.getByRole('link').click();
  const dirTask = new TaskDetailPage(director.page);
  await dirTask.act('accept');
  await expect(dirTask.state).toContainText('Převzal ředitel');
  await dirTask.assign('Mgr. Tomáš Beneš');
  await expect(dirTask.state).toContainText('Řeší pracovník');
  await director.frame.waitForSynced();
  // Passed down, it is no longer the director's work.
  await inbox.open();
  await expect(inbox.item(title)).toHaveCount(0);

  const teacher = await signedInPage(browser, baseURL!, 'ucitel.gymkt');
  const mine = new TasksPage(teacher.page);
  await mine.goto();
  await mine.taskLink(title).click({ timeout: 45_000 });
  const work = new TaskDetailPage(teacher.page);
  await expect(work.state).toContainText('Řeší pracovník');
  await teacher.page.context().setOffline(true);
  await teacher.page
    .getByTestId('evidence-input')
    .setInputFiles({ name: 'soupis.png', mimeType: 'image/png', buffer: await samplePng() });
  await expect(teacher.page.getByTestId('task-history')).toContainText('Doklad / foto');
  await work.act('done');
  await expect(work.state).toContainText('Hotovo, ke kontrole');
  await teacher.page.context().setOffline(false);
  await teacher.frame.waitForSynced();

  // Done by the teacher, it is the director's work again: to check and report up.
  const back = inbox.item(title);
  await expect(back).toContainText('na řadě jste vy: Nahlásit splnění', { timeout: 45_000 });
  await back.getByRole('link').click();
  await expect(dirTask.state).toContainText('Hotovo, ke kontrole', { timeout: 45_000 });
  await expect(director.page.getByTestId('task-history')).toContainText('Doklad / foto');
  await dirTask.act('report');
  await expect(dirTask.state).toContainText('Nahlášeno jako splněné');
  await director.frame.waitForSynced();

  await expect(issuer.rollup(title).getByTestId('issue-summary')).toContainText('Splněno 1 z 3', { timeout: 45_000 });
  await issuer.rollup(title).getByRole('link', { name: 'GJV Klatovy' }).click();
  const check = new TaskDetailPage(dept.page);
  await check.act('accept-up');
  await expect(check.state).toContainText('Převzato zadavatelem');
  await dept.frame.waitForSynced();

  await Promise.all([dept.close(), director.close(), teacher.close()]);
});
