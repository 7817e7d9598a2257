/**
 * The contractor report shows, and exports, exactly the figures worked out by hand from a
 * known resolution history, and both report screens pass an accessibility check.
 *
 * The fixture is March 2026, a month no other data touches. Its tickets are imported through
 * the gateway by an administrator as replicated revisions (`new_edits: false`, which only an
 * administrator may send outside media databases): ordinary writes are stamped with the
 * server's receipt times, which would put the whole history in the present; an imported
 * revision carries none, so its clocks run on the recorded times in March. The gateway still
 * checks every event against the lifecycle rules.
 *
 * Each ticket is written in one revision by one user, because the embedded store loses a
 * replicated revision that extends an existing one (its validation step replaces the new
 * revision's history with the stored one's), so a second author cannot add events this
 * way. The administrator therefore works the tickets itself from the contractor queue
 * (`{queue: 'contractor', userId: 'admin'}`), which the report counts as contractor work
 * exactly as it would a contractor's.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './support/region-server';
import { type Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { AppFrame } from './pages/app-frame';
import { LoginPage } from './pages/login-page';
import { signedInClient } from './support/gateway';

const MONTH = '2026-03';
const CONTRACTOR = 'admin';

type Step = [at: string, what: 'assign' | 'in_progress' | 'waiting' | 'resolved'];
interface FixtureTicket {
  id: string;
  orgId: string;
  category: string;
  priority: 'P1' | 'P2' | 'P3' | 'P4';
  title: string;
  createdAt: string;
  /** Worked in the central queue instead of the contractor queue. */
  central?: boolean;
  steps: Step[];
}

/*
 * Demo catalog: prices hardware 450, network 600, printer 350, account 200, software 300,
 * other 250 CZK; resolution targets and penalties P1 240 min 24×7 / 2000, P2 480 business
 * min / 1000, P3 1440 / 500, P4 2880 / 200. Business hours Mon–Fri 7:00–15:30 Prague
 * (CET = UTC+1 until 29 March, CEST = UTC+2 after); no Czech holiday falls in March 2026.
 *
 * KT (gym-kt):
 *  kt-1 hardware P3, Mon 2 Mar 08:00 → Tue 3 Mar 10:00: 450 + 180 = 630 min ≤ 1440, met.  +450
 *  kt-2 network P2, Wed 4 Mar 08:00 → Thu 5 Mar 12:00: 450 + 300 = 750 min > 480, breached.
 *       +600, penalty 1000
 *  kt-3 software P4, resolved Wed 1 Apr 00:30 Prague (31 Mar 22:30 UTC): April, not counted.
 *  kt-4 other P3, resolved in the central queue: not contractor work, not counted.
 *  → resolved 2, reward 1050, breaches 1, penalty 1000, net 50
 * PJ (gym-pj):
 *  pj-1 printer P4, Mon 9 Mar 09:00, waiting 10:00 until Fri 20 Mar 10:00, resolved 12:00:
 *       60 + 120 = 180 min (the wait does not count; without it the target would be broken). +350
 *  pj-2 account P1 (24×7), Sat 14 Mar 10:00 → 16:00: 360 min > 240, breached. +200, penalty 2000
 *  → resolved 2, reward 550, breaches 1, penalty 2000, net −1450
 * Totals: resolved 4, reward 1600, breaches 2, penalty 3000, net −1400.
 */
const EXPECTED = {
  KT: { resolved: 2, reward: 1050, breaches: 1, penalty: 1000, total: 50 },
  PJ: { resolved: 2, reward: 550, breaches: 1, penalty: 2000, total: -1450 },
  totals: { resolved: 4, reward: 1600, breaches: 2, penalty: 3000, total: -1400 }
};

const FIXTURE: FixtureTicket[] = [
  {
    id: 'tk-20260302-rpkt0001',
    orgId: 'gym-kt',
    category: 'cat-hardware',
    priority: 'P3',
    title: 'Nesvítí monitor v kabinetu fyziky',
    createdAt: '2026-03-02T07:00:00.000Z',
    steps: [
      ['2026-03-02T07:10:00.000Z', 'assign'],
      ['2026-03-02T08:00:00.000Z', 'in_progress'],
      ['2026-03-03T09:00:00.000Z', 'resolved']
    ]
  },
  {
    id: 'tk-20260304-rpkt0002',
    orgId: 'gym-kt',
    category: 'cat-network',
    priority: 'P2',
    title: 'Nefunguje Wi-Fi ve sborovně',
    createdAt: '2026-03-04T07:00:00.000Z',
    steps: [
      ['2026-03-04T07:05:00.000Z', 'assign'],
      ['2026-03-04T07:30:00.000Z', 'in_progress'],
      ['2026-03-05T11:00:00.000Z', 'resolved']
    ]
  },
  {
    id: 'tk-20260330-rpkt0003',
    orgId: 'gym-kt',
    category: 'cat-software',
    priority: 'P4',
    title: 'Instalace výukového programu',
    createdAt: '2026-03-30T06:00:00.000Z',
    steps: [
      ['2026-03-30T06:10:00.000Z', 'assign'],
      ['2026-03-30T07:00:00.000Z', 'in_progress'],
      ['2026-03-31T22:30:00.000Z', 'resolved']
    ]
  },
  {
    id: 'tk-20260310-rpkt0004',
    orgId: 'gym-kt',
    category: 'cat-other',
    priority: 'P3',
    title: 'Dotaz k zálohování',
    createdAt: '2026-03-10T08:00:00.000Z',
    central: true,
    steps: [
      ['2026-03-10T08:05:00.000Z', 'assign'],
      ['2026-03-10T08:10:00.000Z', 'in_progress'],
      ['2026-03-10T10:00:00.000Z', 'resolved']
    ]
  },
  {
    id: 'tk-20260309-rppj0001',
    orgId: 'gym-pj',
    category: 'cat-printer',
    priority: 'P4',
    title: 'Tiskárna v dílně tiskne prázdné stránky',
    createdAt: '2026-03-09T08:00:00.000Z',
    steps: [
      ['2026-03-09T08:05:00.000Z', 'assign'],
      ['2026-03-09T08:30:00.000Z', 'in_progress'],
      ['2026-03-09T09:00:00.000Z', 'waiting'],
      ['2026-03-20T09:00:00.000Z', 'in_progress'],
      ['2026-03-20T11:00:00.000Z', 'resolved']
    ]
  },
  {
    id: 'tk-20260314-rppj0002',
    orgId: 'gym-pj',
    category: 'cat-account',
    priority: 'P1',
    title: 'Zablokovaný účet vedoucí praxe',
    createdAt: '2026-03-14T09:00:00.000Z',
    steps: [
      ['2026-03-14T09:10:00.000Z', 'assign'],
      ['2026-03-14T09:30:00.000Z', 'in_progress'],
      ['2026-03-14T15:00:00.000Z', 'resolved']
    ]
  }
];

/** The ticket after all its steps, written by the administrator; status and assignee follow the events. */
function ticketDoc(f: FixtureTicket) {
  const events: Record<string, unknown>[] = [];
  let status = 'new';
  let assignee: { queue: 'contractor'; userId: string } | { queue: 'central' } | undefined;
  f.steps.forEach(([at, what], i) => {
    const id = `${f.id}-e${i + 1}`;
    if (what === 'assign') {
      assignee = f.central ? { queue: 'central' } : { queue: 'contractor', userId: CONTRACTOR };
      events.push({ id, at, by: CONTRACTOR, kind: 'assign', assignee });
      if (status === 'new') status = 'assigned';
    } else {
      events.push({
        id,
        at,
        by: CONTRACTOR,
        kind: 'status',
        to: what,
        ...(what === 'resolved' ? { text: 'Vyřešeno na místě.' } : {})
      });
      status = what;
    }
  });
  const last = f.steps[f.steps.length - 1][0];
  return {
    id: f.id,
    orgId: f.orgId,
    title: f.title,
    description: 'Testovací požadavek pro report dodavatelů.',
    category: f.category,
    priority: f.priority,
    requester: f.orgId === 'gym-kt' ? 'ucitel.gymkt' : 'helpdesk',
    status,
    ...(assignee ? { assignee } : {}),
    events,
    createdBy: CONTRACTOR,
    createdAt: f.createdAt,
    updatedBy: CONTRACTOR,
    updatedAt: last
  };
}

/** Writes the fixture as replicated revisions; CouchDB's answer lists only failures. */
async function writeFixture(baseURL: string) {
  const api = await signedInClient(baseURL, CONTRACTOR);
  try {
    for (const orgId of ['gym-kt', 'gym-pj']) {
      const docs = FIXTURE.filter((f) => f.orgId === orgId).map((f) => {
        const rev = createHash('md5').update(f.id).digest('hex');
        return { _id: f.id, _rev: `1-${rev}`, _revisions: { start: 1, ids: [rev] }, ...ticketDoc(f) };
      });
      const res = await api.post(`/couch/org_${orgId}_tickets/_bulk_docs`, { data: { docs, new_edits: false } });
      expect(res.status(), await res.text()).toBeLessThan(300);
      expect(await res.json()).toEqual([]);
    }
  } finally {
    await api.dispose();
  }
}

/** `1 050 Kč`, `−1 450 Kč`, `2` → numbers, whatever spaces and minus sign the locale uses. */
const amount = (text: string) => Number(text.replace(/[\s\u00a0\u202fKč]/g, '').replace('\u2212', '-'));

class ContractorReportPage {
  constructor(readonly page: Page) {}

  async goto(month: string) {
    await this.page.goto(`/reports/contractors?month=${month}`);
    await expect(this.page.getByRole('heading', { level: 1 })).toHaveText(/Report dodavatelů/);
  }

  row(district: string) {
    return this.page.locator(`[data-testid=contractor-row][data-district=${district}]`);
  }

  get totals() {
    return this.page.getByTestId('contractor-totals');
  }

  async figures(row: ReturnType<Page['locator']>) {
    const cell = async (col: string) => amount(await row.locator(`[data-col=${col}]`).innerText());
    return {
      resolved: await cell('resolved'),
      reward: await cell('reward'),
      breaches: await cell('breaches'),
      penalty: await cell('penalty'),
      total: await cell('total')
    };
  }
}

async function signIn(page: Page, username: string) {
  const login = new LoginPage(page);
  await login.goto();
  await login.signIn(username);
  await login.waitForHome();
  await new AppFrame(page).waitForSynced();
}

async function seriousViolations(page: Page) {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ baseURL }) => {
  await writeFixture(baseURL!);
});

test('the contractor report for March 2026 shows and exports the hand-computed figures', async ({ page }) => {
  await signIn(page, 'helpdesk');
  const report = new ContractorReportPage(page);
  await report.goto(MONTH);
  await expect(report.row('KT')).toBeVisible();
  await expect(report.row('PJ')).toBeVisible();
  await expect(page.getByTestId('contractor-row')).toHaveCount(2);
  expect(await report.figures(report.row('KT'))).toEqual(EXPECTED.KT);
  expect(await report.figures(report.row('PJ'))).toEqual(EXPECTED.PJ);
  expect(await report.figures(report.totals)).toEqual(EXPECTED.totals);

  // Each row opens onto the tickets behind it.
  const toggle = report.row('KT').getByRole('button', { name: /Požadavky \(2\)/ });
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  const tickets = page.getByTestId('contractor-tickets').filter({ visible: true });
  await expect(tickets.locator('tbody tr')).toHaveCount(2);
  await expect(tickets).toContainText('RPKT0001');
  await expect(tickets).toContainText('RPKT0002');
  await expect(tickets.locator('tbody tr', { hasText: 'RPKT0002' })).toContainText('ano');

  // The CSV is UTF-8 with a byte-order mark, named for the month, with the same figures.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV', exact: true }).click()
  ]);
  expect(download.suggestedFilename()).toBe(`report-dodavatelu-${MONTH}.csv`);
  const bytes = await readFile((await download.path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.toString('utf8').slice(1).split('\r\n').filter(Boolean);
  expect(lines[0]).toBe('Měsíc;Dodavatel;Uživatel;Okres;Vyřešeno;Odměna;Porušení SLA;Sankce;K úhradě');
  // The contractor's name column is whatever the people directory says; the rest is fixed.
  expect(lines.slice(1).map((l) => l.split(';').filter((_, i) => i !== 1))).toEqual([
    [MONTH, CONTRACTOR, 'Klatovy', '2', '1050', '1', '1000', '50'],
    [MONTH, CONTRACTOR, 'Plzeň-jih', '2', '550', '1', '2000', '-1450'],
    [MONTH, '', '', '4', '1600', '2', '3000', '-1400']
  ]);
  expect(lines[3].split(';')[1]).toBe('Celkem');
});

test('a manager sees only the contractor work in their own organization', async ({ page }) => {
  await signIn(page, 'reditel.gymkt');
  const report = new ContractorReportPage(page);
  await report.goto(MONTH);
  await expect(report.row('KT')).toBeVisible();
  await expect(page.getByTestId('contractor-row')).toHaveCount(1);
  expect(await report.figures(report.totals)).toEqual(EXPECTED.KT);
});

test('no serious or critical accessibility violations on the report screens', async ({ page }) => {
  await signIn(page, 'helpdesk');
  await page.goto('/reports?months=12');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Přehledy');
  const sla = page.getByTestId('chart-sla');
  await expect(sla.locator('canvas')).toBeVisible();
  await sla.getByText('Zobrazit údaje jako tabulku').click();
  await expect(sla.locator('table')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  const report = new ContractorReportPage(page);
  await report.goto(MONTH);
  await expect(report.row('PJ')).toBeVisible();
  await report.row('PJ').getByRole('button').click();
  await expect(page.getByTestId('chart-district-money').locator('canvas')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});
