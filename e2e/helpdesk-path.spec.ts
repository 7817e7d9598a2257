/**
 * The helpdesk path end to end, each person in their own browser: a teacher reports a problem
 * offline from a phone with a photo; back online the server routes it to the district's
 * contractor; the central agent sees it in the queue with its SLA running; the contractor,
 * on a phone, starts work and asks a question (the SLA pauses); the teacher answers; the
 * contractor resolves with a summary; the teacher confirms and the ticket is closed.
 */
import { expect, test } from './support/region-server';
import { type Browser } from '@playwright/test';
import { freshContext, phoneContext, signIn, unique } from './fixtures';
import { AppFrame } from './pages/app-frame';
import { QueuePage, QuickReportPage, TicketWorkflow } from './pages/helpdesk-pages';
import { commentsOf, getDoc, samplePng, signedInClient } from './support/gateway';

const PHONE = { width: 390, height: 844 };

async function person(
  browser: Browser,
  baseURL: string,
  username: string,
  viewport?: { width: number; height: number }
) {
  const context = viewport ? await phoneContext(browser, baseURL, viewport) : await freshContext(browser, baseURL);
  const page = await context.newPage();
  await signIn(page, username);
  const frame = new AppFrame(page);
  await frame.waitUntilReadyOffline();
  return { page, frame, flow: new TicketWorkflow(page), close: () => context.close() };
}

test('report offline → routed → queue → contractor works, asks, resolves → requester answers and confirms', async ({
  browser,
  baseURL
}) => {
  test.setTimeout(240_000);
  const title = unique('Tiskárna ve sborovně netiskne');
  const teacher = await person(browser, baseURL!, 'ucitel.gymkt', PHONE);

  // The teacher reports on a phone without a network, with a photo.
  await teacher.page.context().setOffline(true);
  const quick = new QuickReportPage(teacher.page);
  await quick.open();
  const started = Date.now();
  const id = await quick.report({
    category: /Tiskárny a skenery/,
    text: `${title}\nHlásí chybu E05`,
    photo: await samplePng()
  });
  // Reported, not asserted: times belong to the bench, not to a pass or fail here.
  test
    .info()
    .annotations.push({ type: 'quick-report', description: `${((Date.now() - started) / 1000).toFixed(1)} s` });
  await expect(teacher.page.getByTestId('ticket-title')).toHaveText(title);
  await expect(teacher.page.getByTestId('timeline')).toContainText('Fotografie');
  // Not on the server yet: the SLA counts from the device's report time, and says so.
  await expect(teacher.flow.sla).toContainText('Čas přijetí serverem zatím není znám');

  // Back online: the server stamps receivedAt and routes the printer ticket to the KT contractor.
  await teacher.page.context().setOffline(false);
  await expect(teacher.page.getByTestId('ticket-received')).not.toHaveText(/zatím neodesláno|neuvedeno/, {
    timeout: 60_000
  });
  await expect(teacher.flow.assignee).toContainText(/Dvořák|technik\.kt/, { timeout: 45_000 });
  await expect(teacher.flow.status).toHaveText('Přidělený');

  // The central agent at a desk sees it in the queue, SLA running.
  const agent = await person(browser, baseURL!, 'helpdesk');
  const queue = new QueuePage(agent.page);
  await queue.goto();
  await queue.search(title);
  await expect(queue.row(title)).toBeVisible({ timeout: 45_000 });
  // The search narrows the queue to this one ticket (the row is also in the unfiltered queue,
  // and "j" below would focus whichever row is first).
  await expect(agent.page.getByTestId('queue-row')).toHaveCount(1);
  await expect(queue.row(title).getByTestId('sla-badge')).toHaveAttribute('data-state', 'running');
  await expect(queue.row(title)).toContainText(/smluvní technik/);
  // Keyboard: shortcuts act only outside text fields; ? lists them, j moves, x selects.
  await agent.page.getByRole('heading', { level: 1 }).focus();
  await agent.page.keyboard.press('?');
  await expect(agent.page.getByTestId('shortcut-help')).toBeVisible();
  await agent.page.keyboard.press('Escape');
  await expect(agent.page.getByTestId('shortcut-help')).toBeHidden();
  // The closed help gives focus back to where it was, which on a loaded machine can land just
  // after "j" moved it; with one row in the queue, pressing "j" again changes nothing else.
  await expect(async () => {
    await agent.page.keyboard.press('j');
    await expect(queue.row(title).getByRole('link')).toBeFocused({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await agent.page.keyboard.press('x');
  await expect(queue.row(title).getByRole('checkbox')).toBeChecked();
  await expect(agent.page.getByText('Vybráno: 1')).toBeVisible();

  // The teacher waits on the list of their tickets for news.
  await teacher.page.goto('/tickets?mine=1');
  await expect(teacher.page.getByRole('link', { name: new RegExp(title) })).toBeVisible();

  // The contractor, on a phone, starts work and asks the requester.
  const tech = await person(browser, baseURL!, 'technik.kt', PHONE);
  await tech.page.goto(`/tickets/${id}`);
  await expect(tech.flow.action(/Zahájit práci/)).toBeVisible({ timeout: 45_000 });
  await expect(tech.flow.action(/Potvrdit/)).toHaveCount(0);
  await tech.flow.act(/Zahájit práci/);
  await expect(tech.flow.status).toHaveText('V řešení');
  await tech.flow.act(/Dotaz na žadatele/, 'Která tiskárna to je, HP nebo Canon?');
  await expect(tech.flow.status).toHaveText('Čeká na žadatele');
  await expect(tech.flow.sla).toHaveAttribute('data-state', 'paused');
  await tech.page.goto('/tickets');
  await expect(tech.page.getByRole('link', { name: new RegExp(title) }).getByTestId('sla-badge')).toHaveAttribute(
    'data-state',
    'paused'
  );
  await expect(tech.page.getByRole('link', { name: new RegExp(title) }).getByTestId('sla-badge')).toContainText(
    'pozastaveno'
  );

  // The teacher gets an in-app notification, opens the ticket and answers.
  await expect(teacher.page.getByTestId('toast').first()).toBeVisible({ timeout: 60_000 });
  // The tickets row's badge (my work has one of its own).
  await expect(teacher.page.getByRole('link', { name: /^Požadavky/ }).getByTestId('nav-badge')).toHaveText(/1/);
  await teacher.page.goto(`/tickets/${id}`);
  await expect(teacher.flow.status).toHaveText('Čeká na žadatele');
  await expect(teacher.page.getByTestId('timeline')).toContainText('HP nebo Canon');
  await expect(teacher.flow.action(/Vyřešit/)).toHaveCount(0);
  await teacher.flow.act(/^Odpovědět$/, 'Canon ve sborovně, u okna.');
  await expect(teacher.flow.status).toHaveText('V řešení');

  // The contractor resolves with a summary once the answer arrives.
  await tech.page.goto(`/tickets/${id}`);
  await expect(tech.page.getByTestId('timeline')).toContainText('Canon ve sborovně', { timeout: 60_000 });
  await expect(tech.flow.status).toHaveText('V řešení');
  await tech.flow.act(/^Vyřešit$/, 'Vyměněn zaseknutý válec, tiskárna tiskne.');
  await expect(tech.flow.status).toHaveText('Vyřešený');
  await expect(tech.flow.sla).toHaveAttribute('data-state', 'met');

  // The teacher confirms; the ticket is closed everywhere.
  await expect(teacher.flow.status).toHaveText('Vyřešený', { timeout: 60_000 });
  await expect(teacher.flow.resolution).toHaveText('Vyměněn zaseknutý válec, tiskárna tiskne.');
  await teacher.flow.act(/Potvrdit vyřešení/);
  await expect(teacher.flow.status).toHaveText('Uzavřený');

  const director = await signedInClient(baseURL!, 'reditel.gymkt');
  await expect
    .poll(async () => (await getDoc(director, 'org_gym-kt_tickets', id)).body?.status, { timeout: 45_000 })
    .toBe('closed');
  const stored = (await getDoc(director, 'org_gym-kt_tickets', id)).body as { events: { by: string; kind: string }[] };
  expect(stored.events.filter((e) => e.by === 'system' && e.kind === 'assign')).toHaveLength(1);
  // The photo is referenced by a document of its own, the ticket keeps only its lifecycle.
  expect(stored.events.map((e) => e.kind)).not.toContain('attachment');
  expect((await commentsOf(director, 'gym-kt', id)).map((c) => c.kind)).toContain('attachment');

  await director.dispose();
  await Promise.all([teacher.close(), agent.close(), tech.close()]);
});
