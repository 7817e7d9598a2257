/**
 * The winter path on a 390×844 phone: a crew reports black ice offline with a photo and GPS;
 * back online, the dispatcher sees it on the map and in the list, sends a crew; the section
 * turns treated when the crew reports the treatment; the dispatcher hands the closure to IZS,
 * IZS confirms, and all of it is in the day's deník in order. Screenshots of the map and the
 * printed deník (phone and desktop) go to the run's output directory for a look by eye.
 */
import { expect, test } from './support/region-server';
import { DEMO_WINTER_SECTIONS } from '../sync-server/demo/sections';
import { samplePng } from './support/gateway';
import { AppFrame } from './pages/app-frame';
import { CrewPhone, DispatchDesk, WinterMapPage, winterSignIn } from './pages/winter-pages';

const SECTION = DEMO_WINTER_SECTIONS.find((s) => s.district === 'KT' && s.order === 'I')!;
const AT = { latitude: SECTION.path[1][0], longitude: SECTION.path[1][1], accuracy: 14 };

test('crew report offline → desk and map → assignment → treatment → IZS receipt → deník', async ({
  browser,
  baseURL
}, info) => {
  const note = `Náledí v zatáčce ${Date.now().toString(36)}`;
  const crewS = await winterSignIn(browser, baseURL!, 'silnicar.kt', /\/dispatch\/report$/, { geolocation: AT });
  const crew = new CrewPhone(crewS.page);
  await crew.waitForGps();

  // Offline, in the field: black ice with a photo; the nearest section is chosen from GPS.
  await crewS.page.context().setOffline(true);
  await expect(crew.chosenSection()).toHaveValue(SECTION.id);
  await crew.report('Náledí', 'Vážná', note, await samplePng());
  await expect(crew.pending()).toHaveCount(1);
  // The confirmation says what became of it: kept on the phone, then sent.
  const saved = crewS.page.getByTestId('report-saved');
  await expect(saved).toHaveText(/uloženo v telefonu/);
  await expect(saved).toBeInViewport();
  await crewS.page.context().setOffline(false);
  await expect(crew.pending()).toHaveCount(0, { timeout: 45_000 });
  await expect(crewS.page.getByTestId('pending-none')).toBeVisible();
  await expect(saved).toHaveText('Hlášení odesláno dispečinku.');

  // The dispatcher, on a phone too, sees it on the desk, the map and the list.
  const dispS = await winterSignIn(browser, baseURL!, 'dispecer', /\/dispatch$/);
  const desk = new DispatchDesk(dispS.page);
  await desk.open();
  const incoming = desk.report(note);
  await expect(incoming).toContainText('Náledí');
  await expect(incoming).toContainText('GPS ±14 m');
  await expect(incoming).toContainText('s fotografií');
  const reportId = (await incoming.getAttribute('data-id'))!;
  await incoming.getByRole('button', { name: 'Potvrdit' }).click();
  await expect(incoming).toContainText('potvrzeno');

  const map = new WinterMapPage(dispS.page);
  await map.open();
  await expect(map.marker(reportId)).toHaveCount(1);
  await expect(dispS.page.locator(`path.section-${SECTION.id}`)).toHaveCount(1);
  await expect(dispS.page.locator('img.leaflet-tile:not(.leaflet-tile-loaded)[src^="http"]')).toHaveCount(0);
  await dispS.page.screenshot({ path: info.outputPath('winter-map-phone.png'), fullPage: true });
  await map.showList();
  await expect(dispS.page.locator(`[data-testid=list-report][data-id="${reportId}"]`)).toContainText('Náledí');

  // Vehicles sent out; the crew's treatment closes the assignment and the section is treated.
  await desk.open();
  await desk.assign(SECTION.id, 'silnicar.kt', 'KT-7 sypač');
  // The crew treats once sent: the assignment has reached the server. The server's receipt
  // orders the two (`decidingTime`), and an assignment received after a treatment is a new one.
  await new AppFrame(dispS.page).waitForSynced();
  await crew.treat();
  await expect(crew.pending()).toHaveCount(0, { timeout: 45_000 });
  const row = desk.sectionRow(SECTION.id);
  await expect(row).toHaveAttribute('data-status', 'ok', { timeout: 45_000 });
  await expect(row.locator('td').nth(3)).toHaveText('—');
  await expect(row).not.toContainText('otevřená hlášení');

  // The closure goes to IZS, who sees only hand-offs and confirms receipt.
  await desk.report(note).getByRole('link', { name: 'Předat IZS' }).click();
  const form = dispS.page.getByTestId('handoff-form');
  await expect(form.getByLabel('Krátká zpráva')).toHaveValue(new RegExp(`Náledí: ${SECTION.road}`));
  await form.getByLabel('Krátká zpráva').fill(`Uzavírka ${SECTION.road}: ${note}`);
  await form.getByRole('button', { name: 'Předat IZS' }).click();
  const handoff = dispS.page.getByTestId('handoff').filter({ hasText: note });
  await expect(handoff).toHaveAttribute('data-confirmed', 'no');
  const handoffId = (await handoff.getAttribute('data-id'))!;

  const izsS = await winterSignIn(browser, baseURL!, 'izs', /\/dispatch\/izs$/);
  const received = izsS.page.getByTestId('handoff').filter({ hasText: note });
  await expect(received).toBeVisible({ timeout: 45_000 });
  await expect(izsS.page.getByRole('link', { name: /Mapa|Deník/ })).toHaveCount(0);
  await received.getByTestId('confirm-receipt').click();
  await expect(received.getByTestId('receipt')).toContainText('izs');
  await expect(handoff).toHaveAttribute('data-confirmed', 'yes', { timeout: 45_000 });
  await expect(handoff.getByTestId('receipt')).toContainText('Převzal(a) izs');

  // The day's deník of the district, in the order the server received it.
  await dispS.page.goto('/dispatch/denik');
  await dispS.page.getByTestId('denik-district').selectOption('KT');
  const rows = dispS.page.getByTestId('denik-row');
  const mine = async () =>
    (
      await rows.evaluateAll((els) =>
        els.map((e) => `${e.getAttribute('data-kind')}|${e.getAttribute('data-id')}|${e.textContent}`)
      )
    )
      .filter((t) => t.includes(reportId) || t.includes(handoffId) || t.includes(SECTION.name))
      .map((t) => t.split('|')[0]);
  await expect
    .poll(mine, { timeout: 30_000 })
    .toEqual(expect.arrayContaining(['report', 'confirmation', 'assignment', 'treatment', 'handoff', 'receipt']));
  const kinds = (await mine()).filter((k) =>
    ['report', 'confirmation', 'assignment', 'treatment', 'handoff', 'receipt'].includes(k)
  );
  const order = ['report', 'confirmation', 'assignment', 'treatment', 'handoff', 'receipt'];
  expect(kinds.slice(-6)).toEqual(order);
  // People by name, the district and the severity in words: the deník is read and signed by people.
  const reportRow = dispS.page.locator(`[data-testid=denik-row][data-id="${reportId}"]`);
  await expect(reportRow).toContainText('Josef Kučera');
  await expect(reportRow).not.toContainText('silnicar.kt');
  await expect(reportRow).toContainText(/závažnost: (mírná|střední|vážná)/);
  await expect(reportRow).not.toContainText(/\bKT\b/);
  // Every record carries the server's receipt time, those this device wrote included.
  for (const id of [reportId, handoffId])
    await expect(dispS.page.locator(`[data-testid=denik-row][data-id="${id}"] td`).nth(1)).not.toBeEmpty();
  await expect(
    dispS.page.locator('[data-testid=denik-row][data-kind=assignment]').last().locator('td').nth(1)
  ).not.toBeEmpty();
  await dispS.page.screenshot({ path: info.outputPath('winter-denik-phone.png'), fullPage: true });
  await dispS.page.emulateMedia({ media: 'print' });
  await dispS.page.screenshot({ path: info.outputPath('winter-denik-print-phone.png'), fullPage: true });
  await dispS.page.emulateMedia({ media: 'screen' });

  // The same on a desktop, and the deník as the A4 it prints to.
  await dispS.page.setViewportSize({ width: 1366, height: 900 });
  await map.open();
  await expect(map.marker(reportId)).toHaveCount(1);
  await dispS.page.screenshot({ path: info.outputPath('winter-map-desktop.png') });
  await dispS.page.goto('/dispatch/denik');
  await dispS.page.getByTestId('denik-district').selectOption('KT');
  await expect(rows.first()).toBeVisible();
  await dispS.page.pdf({
    path: info.outputPath('winter-denik.pdf'),
    format: 'A4',
    landscape: true,
    printBackground: true
  });
  await dispS.page.emulateMedia({ media: 'print' });
  await dispS.page.screenshot({ path: info.outputPath('winter-denik-print-desktop.png'), fullPage: true });

  await Promise.all([crewS.close(), dispS.close(), izsS.close()]);
});
