/**
 * How long a crew report takes from reaching the server to its marker on the dispatcher's
 * map: 20 reports written through the gateway as a phone would send them, each marker's
 * appearance timed in the page. The figures are written to the run's output (and the log),
 * never asserted: the test only requires every marker to appear.
 */
import { expect, test } from './support/region-server';
import { writeFile } from 'node:fs/promises';
import { DEMO_WINTER_SECTIONS } from '../sync-server/demo/sections';
import { getDoc, putDoc, signedInClient } from './support/gateway';
import { WinterMapPage, winterSignIn } from './pages/winter-pages';

const N = 20;
const SECTIONS = DEMO_WINTER_SECTIONS.filter((s) => !s.unmaintained);

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];

test('crew report → marker on the dispatcher’s map, timed', async ({ browser, baseURL }, info) => {
  test.setTimeout(180_000);
  const disp = await winterSignIn(browser, baseURL!, 'dispecer', /\/dispatch$/, {
    viewport: { width: 1280, height: 900 }
  });
  const map = new WinterMapPage(disp.page);
  await map.open();
  await disp.page.evaluate(() => {
    const seen: Record<string, number> = {};
    (window as unknown as { __seen: Record<string, number> }).__seen = seen;
    new MutationObserver(() => {
      for (const el of document.querySelectorAll('path.winter-report')) {
        const id = [...el.classList].find((c) => c.startsWith('report-'))?.slice(7);
        if (id && !(id in seen)) seen[id] = Date.now();
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['class'] });
  });
  const crew = await signedInClient(baseURL!, 'silnicar.kt');
  const ids: string[] = [];
  for (let i = 0; i < N; i++) {
    const s = SECTIONS[(i * 7) % SECTIONS.length];
    const now = new Date().toISOString();
    const id = `disp-latency-${Date.now().toString(36)}-${i}`;
    const res = await putDoc(crew, 'org_sus_dispatch', {
      id,
      orgId: 'sus',
      entry: 'report',
      district: s.district,
      sectionId: s.id,
      reportType: 'black_ice',
      severity: 2,
      lat: s.path[1][0],
      lon: s.path[1][1],
      accuracy: 10,
      createdBy: 'silnicar.kt',
      createdAt: now,
      updatedBy: 'silnicar.kt',
      updatedAt: now
    });
    expect(res.status).toBe(201);
    ids.push(id);
    await disp.page.waitForTimeout(400 + Math.round(Math.random() * 400));
  }
  await expect
    .poll(
      () =>
        disp.page.evaluate(
          (want) => want.filter((id) => id in (window as unknown as { __seen: Record<string, number> }).__seen).length,
          ids
        ),
      { timeout: 60_000 }
    )
    .toBe(N);
  const seen = await disp.page.evaluate(() => (window as unknown as { __seen: Record<string, number> }).__seen);
  const lat: number[] = [];
  for (const id of ids) {
    const { body } = await getDoc(crew, 'org_sus_dispatch', id);
    lat.push(seen[id] - Date.parse(String(body?.receivedAt)));
  }
  const result = {
    n: N,
    p50: pct(lat, 50),
    p95: pct(lat, 95),
    max: Math.max(...lat),
    min: Math.min(...lat),
    samplesMs: lat
  };
  console.log(`winter map latency (server receipt → marker): ${JSON.stringify(result)}`);
  await writeFile(info.outputPath('winter-latency.json'), JSON.stringify(result, null, 2));
  await crew.dispose();
  await disp.close();
});
