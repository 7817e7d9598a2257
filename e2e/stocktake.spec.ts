import { expect, test } from './support/region-server';
import { signedInPage } from './fixtures';
import { StocktakePage } from './pages/stocktake-pages';
import { signedInClient } from './support/gateway';

const PHONE = { width: 390, height: 844 };

test('a stocktake of a school site on a phone, offline: scans, two missing, one surplus, the soupis printed and the differences confirmed', async ({
  browser,
  baseURL
}) => {
  test.setTimeout(240_000);
  const origin = new URL(baseURL!).origin;
  const { page, frame, close } = await signedInPage(browser, baseURL!, 'reditel.gymkt', { viewport: PHONE });
  // Nothing but our own server is reachable: the scanner's WebAssembly must come from us.
  await page.context().route(
    (url) => url.origin !== origin,
    (route) => route.abort()
  );
  const wasm: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('.wasm')) wasm.push(r.url());
  });

  const st = new StocktakePage(page);
  await st.start('Tělocvična');
  const expected = await st.missing();
  expect(expected.length).toBeGreaterThan(3);
  await expect(st.count('expected')).toHaveText(String(expected.length));

  await page.context().setOffline(true);
  await expect(frame.syncStatus).toHaveText(/Bez připojení/);
  const counted = expected.slice(0, -2);
  for (const no of counted) {
    const fed = await st.showLabel('gym-kt', no);
    expect(fed.engine).toBe('polyfill');
    expect(fed.codes).toEqual([`ICT1|gym-kt|${no}`]);
    await st.expectResult('found', no);
  }
  expect(wasm.length).toBeGreaterThan(0);
  for (const url of wasm) expect(new URL(url).origin).toBe(origin);

  await st.type(counted[0].toLowerCase());
  await st.expectResult('duplicate', counted[0]);
  await st.type('PROJ-BEZ-STITKU-7');
  await st.expectResult('unknown', 'PROJ-BEZ-STITKU-7');
  await expect(st.count('found')).toHaveText(String(counted.length));
  await expect(st.count('missing')).toHaveText('2');
  await expect(st.count('surplus')).toHaveText('1');
  expect(await st.missing()).toEqual(expected.slice(-2));
  await st.close();

  await page.context().setOffline(false);
  await frame.waitForSynced();
  const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
  const server = await signedInClient(baseURL!, 'helpdesk');
  const scans = await server.get(
    `/couch/org_gym-kt_assets/_all_docs?startkey=${encodeURIComponent(JSON.stringify(`${id}:scan:`))}&endkey=${encodeURIComponent(JSON.stringify(`${id}:scan:\ufff0`))}`
  );
  expect(((await scans.json()) as { rows: unknown[] }).rows).toHaveLength(counted.length + 2);
  const stored = await (await server.get(`/couch/org_gym-kt_assets/${encodeURIComponent(id)}`)).json();
  expect(stored.state).toBe('closed');

  await st.openSoupis();
  await expect(page.getByTestId('soupis-row')).toHaveCount(expected.length + 1);
  await expect(page.getByTestId('soupis-differences')).toContainText('manko 2 ks');
  await expect(page.getByTestId('soupis-differences')).toContainText('přebytek 1 ks');
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByTestId('soupis')).toBeVisible();
  await expect(page.getByTestId('proposals')).toBeHidden();
  await expect(page.getByRole('navigation', { name: 'Hlavní navigace' })).toBeHidden();
  await page.emulateMedia({ media: 'screen' });

  for (const no of expected.slice(-2)) {
    await st
      .proposal(new RegExp(`Manko: ${no}`))
      .getByRole('button', { name: 'Potvrdit' })
      .click();
    await expect(st.proposal(new RegExp(`Manko: ${no}`))).toHaveAttribute('data-decision', 'confirmed');
  }
  await st
    .proposal(/PROJ-BEZ-STITKU-7/)
    .getByRole('button', { name: 'Potvrdit' })
    .click();
  await expect(st.proposal(/PROJ-BEZ-STITKU-7/)).toHaveAttribute('data-decision', 'confirmed');
  await frame.waitForSynced();

  await expect
    .poll(async () => {
      const res = await server.get(
        `/couch/org_gym-kt_assets/_all_docs?include_docs=true&keys=${encodeURIComponent(
          JSON.stringify(expected.slice(-2).map((no) => `asset:gym-kt:${no}`))
        )}`
      );
      const rows = ((await res.json()) as { rows: { doc?: { state?: string } }[] }).rows;
      return rows.map((r) => r.doc?.state);
    })
    .toEqual(['retired', 'retired']);
  const added = await server.get(`/couch/org_gym-kt_assets/${encodeURIComponent('asset:gym-kt:PROJ-BEZ-STITKU-7')}`);
  expect(added.status()).toBe(200);
  expect((await added.json()).state).toBe('in_use');
  await server.dispose();
  await close();
});
