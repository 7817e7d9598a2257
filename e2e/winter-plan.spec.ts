/**
 * The dispatcher edits the road sections and the operating plan: a section marked as not
 * maintained loses its deadline on the desk; a new plan, valid from now, is the one in force.
 */
import { expect, test } from './support/region-server';
import { DEMO_WINTER_SECTIONS } from '../sync-server/demo/sections';
import { DispatchDesk, winterSignIn } from './pages/winter-pages';

const SECTION = DEMO_WINTER_SECTIONS.find((s) => s.district === 'PJ' && !s.unmaintained)!;

test('sections and the operating plan are edited by the dispatcher', async ({ browser, baseURL }) => {
  const s = await winterSignIn(browser, baseURL!, 'dispecer', /\/dispatch$/, {
    viewport: { width: 1280, height: 900 }
  });
  await s.page.goto('/dispatch/plan');
  const editor = s.page.getByTestId('section-editor');
  await s.page.getByLabel('Okres').selectOption('PJ');
  const row = editor.locator(`tr[data-id="${SECTION.id}"]`);
  await row.getByRole('checkbox').check();
  await row.getByRole('button', { name: 'Uložit' }).click();
  await expect(s.page.getByRole('status').filter({ hasText: 'uložen' })).toBeVisible();
  // Its route is redrawn on the map's page (here typed, driven the other way) and saved.
  await row.getByRole('link', { name: /Překreslit trasu/ }).click();
  await expect(s.page.getByTestId('section-points')).toContainText(`Bodů: ${SECTION.path.length}`);
  await s.page.locator('#sec-coords').fill(
    [...SECTION.path]
      .reverse()
      .map(([a, b]) => `${a}, ${b}`)
      .join('\n')
  );
  await s.page.getByRole('button', { name: 'Použít souřadnice' }).click();
  await s.page.getByRole('button', { name: 'Uložit trasu' }).click();
  await expect(s.page.getByTestId('section-saved')).toContainText(/Trasa úseku .* je uložena/);
  await s.page.goto('/dispatch/plan');

  const form = s.page.getByTestId('plan-form');
  await form.getByLabel('Název plánu').fill('Zpřísněný plán');
  const now = new Date(Date.now() - 60_000);
  const local = new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  await form.getByLabel('Platí od').fill(local);
  await form.getByLabel('Lhůta ošetření pro I. pořadí (h)').fill('1');
  await form.getByRole('button', { name: 'Uložit nový plán' }).click();
  await expect(s.page.getByTestId('plan-current')).toContainText('I. pořadí: lhůta 1 h');

  const desk = new DispatchDesk(s.page);
  await desk.open();
  await expect(desk.sectionRow(SECTION.id)).toHaveAttribute('data-status', 'unmaintained');
  await s.close();
});
