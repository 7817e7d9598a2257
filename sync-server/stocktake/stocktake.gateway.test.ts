/**
 * Stocktake records through the real gateway: who starts, counts, closes and confirms; a code
 * that is no inventory number is recorded (it is a surplus), never refused; a closed stocktake
 * takes no more scans and never changes; decisions only on a closed stocktake, one per proposal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeStocktake,
  newDecision,
  newScan,
  newStocktake,
  type StocktakeDoc
} from '../../src/lib/domain/assets/stocktake-docs';
import { login, startTestServer, type TestServer } from '../testing/server';
import { client, type Client } from '../gateway/test-support';

const DB = 'org_gym-kt_assets';
let s: TestServer;
let agent: Client;
let director: Client;
let teacher: Client;
let tech: Client;

beforeAll(async () => {
  s = await startTestServer();
  agent = client(s.url, await login(s.url, 'helpdesk'));
  director = client(s.url, await login(s.url, 'reditel.gymkt'));
  teacher = client(s.url, await login(s.url, 'ucitel.gymkt'));
  tech = client(s.url, await login(s.url, 'technik.kt'));
}, 120_000);
afterAll(async () => s?.close());

/** RxDB's CouchDB form: the primary key `id` is the CouchDB `_id`. */
const couch = (d: object) => ({ ...d, _id: (d as { id: string }).id });

async function write(c: Client, ...docs: object[]) {
  const { status, body } = await c.bulkDocs(DB, docs.map(couch));
  expect(status).toBe(201);
  return body;
}
async function stored<T>(id: string): Promise<T & { _rev: string }> {
  return (await director.get(`/couch/${DB}/${encodeURIComponent(id)}`)).json();
}

async function started(by: Client, userId: string, extra: { site?: string; committee?: string[] } = {}) {
  const st = newStocktake({
    orgId: 'gym-kt',
    userId,
    name: 'Inventura 2026 – Tělocvična',
    site: 'Tělocvična',
    ...extra
  });
  expect((await write(by, st))[0]).toMatchObject({ ok: true });
  return st;
}

const scan = (st: StocktakeDoc, userId: string, code: string) =>
  newScan({ orgId: 'gym-kt', userId, stocktakeId: st.id, code, method: 'camera', site: st.site, deviceId: 'dev-test' });

describe('starting a stocktake', () => {
  it("the organization's manager and IT staff start one", async () => {
    await started(director, 'reditel.gymkt');
    await started(agent, 'helpdesk');
  });

  it('an employee or a contractor may not: they only read the register', async () => {
    for (const [c, user] of [
      [teacher, 'ucitel.gymkt'],
      [tech, 'technik.kt']
    ] as const) {
      const st = newStocktake({ orgId: 'gym-kt', userId: user, name: 'Moje inventura' });
      const res = await c.bulkDocs(DB, [couch(st)]);
      expect(res.status).toBe(403);
      expect(JSON.stringify(res.body)).toMatch(/read|write/);
    }
  });

  it('refuses a committee without the one who starts it', async () => {
    const st = {
      ...newStocktake({ orgId: 'gym-kt', userId: 'helpdesk', name: 'X' }),
      data: { committee: ['jiny.clen'], startedAt: new Date().toISOString() }
    };
    const [row] = await write(agent, st);
    expect(row).toMatchObject({ error: 'forbidden' });
    expect(row.reason).toContain('member of its committee');
  });
});

describe('scans', () => {
  it('records a scan of an inventory number and of any other text (a surplus), not refused', async () => {
    const st = await started(director, 'reditel.gymkt');
    const rows = await write(
      director,
      scan(st, 'reditel.gymkt', 'GYMKT-PC-0001'),
      scan(st, 'reditel.gymkt', 'https://example.com/not-ours ☺')
    );
    expect(rows.map((r) => r.ok)).toEqual([true, true]);
  });

  it('takes a stocktake started offline together with its first scans in one batch', async () => {
    const st = newStocktake({ orgId: 'gym-kt', userId: 'helpdesk', name: 'Offline', site: 'Pavilon B' });
    const rows = await write(agent, st, scan(st, 'helpdesk', 'GYMKT-PC-0002'));
    expect(rows.map((r) => r.ok)).toEqual([true, true]);
  });

  it('takes a count started and closed offline, whose stocktake arrives after (or with) its scans', async () => {
    const st = newStocktake({ orgId: 'gym-kt', userId: 'helpdesk', name: 'Terén', site: 'Pavilon B' });
    const early = await write(agent, scan(st, 'helpdesk', 'GYMKT-PC-0003'));
    expect(early[0]).toMatchObject({ ok: true });
    const closed = closeStocktake(st, 'helpdesk', undefined);
    const rows = await write(agent, scan(st, 'helpdesk', 'GYMKT-PC-0006'), closed);
    expect(rows.map((r) => r.ok)).toEqual([true, true]);
  });

  it('never lets a scan be changed', async () => {
    const st = await started(agent, 'helpdesk');
    const sc = scan(st, 'helpdesk', 'GYMKT-PC-0004');
    await write(agent, sc);
    const prev = await stored<typeof sc>(sc.id);
    const [row] = await write(agent, {
      ...prev,
      data: { ...sc.data, code: 'GYMKT-PC-0005' },
      updatedAt: new Date().toISOString()
    });
    expect(row).toMatchObject({ error: 'forbidden' });
    expect(row.reason).toContain('never changed');
  });

  it('refuses scans by an employee', async () => {
    const st = await started(agent, 'helpdesk');
    const res = await teacher.bulkDocs(DB, [couch(scan(st, 'ucitel.gymkt', 'GYMKT-PC-0001'))]);
    expect(res.status).toBe(403);
  });
});

describe('closing', () => {
  it('a committee member closes; then no more scans and no changes', async () => {
    const st = await started(director, 'reditel.gymkt');
    await write(director, scan(st, 'reditel.gymkt', 'GYMKT-PC-0001'));
    const open = await stored<StocktakeDoc>(st.id);
    const closed = {
      ...closeStocktake(open, 'reditel.gymkt', {
        summary: { expected: 3, found: 1, moved: 0, missing: 2, surplus: 0, scans: 1 },
        register: [
          { id: 'asset:gym-kt:GYMKT-PC-0001', inventoryNo: 'GYMKT-PC-0001', name: 'Počítač', site: 'Tělocvična' }
        ]
      }),
      _rev: open._rev
    };
    expect((await write(director, closed))[0]).toMatchObject({ ok: true });

    const [late] = await write(director, scan(st, 'reditel.gymkt', 'GYMKT-PC-0002'));
    expect(late).toMatchObject({ error: 'forbidden' });
    expect(late.reason).toContain('takes no more scans');

    const now = await stored<StocktakeDoc>(st.id);
    const reopened = {
      ...now,
      state: 'open',
      data: { committee: now.data.committee, startedAt: now.data.startedAt },
      updatedAt: new Date().toISOString()
    };
    const [row] = await write(director, reopened);
    expect(row).toMatchObject({ error: 'forbidden' });
    expect(row.reason).toContain('closed');
  });

  it('someone outside the committee may not close it', async () => {
    const st = await started(director, 'reditel.gymkt');
    const open = await stored<StocktakeDoc>(st.id);
    const [row] = await write(agent, { ...closeStocktake(open, 'helpdesk', undefined), _rev: open._rev });
    expect(row).toMatchObject({ error: 'forbidden' });
    expect(row.reason).toContain('member of the inventory committee');
  });

  it('someone outside the committee may not add themselves to it (and then close it)', async () => {
    const st = await started(director, 'reditel.gymkt');
    const open = await stored<StocktakeDoc>(st.id);
    const joined = {
      ...open,
      data: { ...open.data, committee: [...open.data.committee, 'helpdesk'] },
      updatedBy: 'helpdesk',
      updatedAt: new Date().toISOString()
    };
    const [row] = await write(agent, joined);
    expect(row).toMatchObject({ error: 'forbidden' });
    expect(row.reason).toContain('adds members');
    // A member appoints a colleague.
    const appointed = { ...joined, updatedBy: 'reditel.gymkt' };
    expect((await write(director, appointed))[0]).toMatchObject({ ok: true });
  });
});

describe('decisions on differences', () => {
  async function closedStocktake() {
    const st = await started(agent, 'helpdesk', { committee: ['reditel.gymkt'] });
    const open = await stored<StocktakeDoc>(st.id);
    await write(agent, { ...closeStocktake(open, 'helpdesk', undefined), _rev: open._rev });
    return st;
  }
  const decision = (st: StocktakeDoc, userId: string, key = 'missing-x') =>
    newDecision({
      orgId: 'gym-kt',
      userId,
      stocktakeId: st.id,
      proposal: key,
      kind: 'missing',
      decision: 'confirmed',
      inventoryNo: 'GYMKT-PC-0009'
    });

  it("the organization's manager decides, once per proposal", async () => {
    const st = await closedStocktake();
    expect((await write(director, decision(st, 'reditel.gymkt')))[0]).toMatchObject({ ok: true });
    const [again] = await write(director, decision(st, 'reditel.gymkt'));
    expect(again.error).toMatch(/conflict|forbidden/);
  });

  it('IT staff may not confirm differences into the register', async () => {
    const st = await closedStocktake();
    const [row] = await write(agent, decision(st, 'helpdesk'));
    expect(row).toMatchObject({ error: 'forbidden' });
    expect(row.reason).toContain('manager');
  });

  it('refuses a decision on a stocktake the server does not hold', async () => {
    const ghost = newStocktake({ orgId: 'gym-kt', userId: 'reditel.gymkt', name: 'Nikde' });
    const [row] = await write(director, decision(ghost, 'reditel.gymkt'));
    expect(row).toMatchObject({ error: 'forbidden' });
    expect(row.reason).toContain('does not exist');
  });

  it('nothing is decided while the stocktake is still open', async () => {
    const st = await started(director, 'reditel.gymkt');
    const [row] = await write(director, decision(st, 'reditel.gymkt'));
    expect(row).toMatchObject({ error: 'forbidden' });
    expect(row.reason).toContain('after the stocktake is closed');
  });
});
