/**
 * The gateway judges every approval write again, against the roles the writer holds when it
 * arrives and the decisions the server already holds (first received wins). One test per
 * refusal the issue lists, and the paths that must pass.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../auth/users';
import { getUser, saveUser } from '../admin/user-store';
import { client, uniqueId, type Client } from '../gateway/test-support';
import { financeHistoryAfter, type FinanceFlags } from '../../src/lib/domain/portal/rule-sets';
import { login, startTestServer, type TestServer } from '../testing/server';

const DB = 'org_gym-kt_approvals';
let s: TestServer;
const c: Record<string, Client> = {};

beforeAll(async () => {
  s = await startTestServer();
  await createUser(s.app.couch, {
    username: 'dvojrole.gymkt',
    name: 'Test',
    password: 'demo',
    memberships: [
      { role: 'manager', org: 'gym-kt' },
      { role: 'accountant', org: 'gym-kt' }
    ]
  });
  await createUser(s.app.couch, {
    username: 'odvolany.gymkt',
    name: 'Test',
    password: 'demo',
    memberships: [{ role: 'manager', org: 'gym-kt' }]
  });
  for (const u of [
    'referent.gymkt',
    'reditel.gymkt',
    'zastupce.gymkt',
    'ucetni.gymkt',
    'ucitel.gymkt',
    'dvojrole.gymkt',
    'odvolany.gymkt',
    'reditel.sus',
    'admin'
  ])
    c[u] = client(s.url, await login(s.url, u));
}, 120_000);
afterAll(async () => s?.close());

const now = () => new Date().toISOString();
const audit = (by: string) => ({ orgId: 'gym-kt', createdBy: by, createdAt: now(), updatedBy: by, updatedAt: now() });

function invoice(extra: Record<string, unknown> = {}, by = 'referent.gymkt') {
  return {
    _id: uniqueId('apv-test'),
    ...audit(by),
    type: 'invoice',
    number: 'FV-T-1',
    supplier: 'Alza.cz a.s.',
    supplierIco: '27082440',
    amount: 1200,
    currency: 'CZK',
    registeredOn: now().slice(0, 10),
    registrar: by,
    round: 1,
    ...extra
  };
}

function decision(doc: { _id: string; round?: number }, by: string, step: string, extra: Record<string, unknown> = {}) {
  const role = { prikazce: 'manager', spravce: 'budget', ucetni: 'accountant' }[step];
  return {
    _id: `${doc._id}:dec:${uniqueId(by)}`,
    ...audit(by),
    type: 'decision',
    parentId: doc._id,
    round: doc.round ?? 1,
    step,
    verdict: 'approve',
    role,
    decidedAt: now(),
    ...extra
  };
}

async function write(user: string, docs: unknown[]) {
  const { status, body } = await c[user].bulkDocs(DB, docs);
  expect(status).toBe(201);
  return body;
}

async function registered(extra: Record<string, unknown> = {}) {
  const doc = invoice(extra);
  expect((await write('referent.gymkt', [doc]))[0]).toMatchObject({ ok: true });
  return doc;
}

describe('approvals through the gateway', () => {
  it('a clerk registers an invoice; an employee may not', async () => {
    await registered();
    const res = await c['ucitel.gymkt'].bulkDocs(DB, [invoice({}, 'ucitel.gymkt')]);
    expect(res.status).toBe(403);
  });

  it.each([
    ['an IČO failing its checksum', { supplierIco: '27082441' }, /IČO 27082441 fails its checksum/],
    ['a negative amount', { amount: -5 }, /amount must be >= 0/],
    ['an amount that is not a number', { amount: '1200' }, /amount must be number/],
    [
      'a registration dated tomorrow',
      { registeredOn: new Date(Date.now() + 2 * 864e5).toISOString().slice(0, 10) },
      /after today/
    ],
    [
      'registered in someone else’s name',
      { registrar: 'reditel.gymkt' },
      /registrar of a new document must be referent.gymkt/
    ]
  ])('refuses %s', async (_n, extra, reason) => {
    expect((await write('referent.gymkt', [invoice(extra)]))[0]).toMatchObject({
      error: 'forbidden',
      reason: expect.stringMatching(reason)
    });
  });

  it('refuses a step out of order, a step without its role and a step the document does not have', async () => {
    const doc = await registered();
    const [early] = await write('ucetni.gymkt', [decision(doc, 'ucetni.gymkt', 'ucetni')]);
    expect(early).toMatchObject({
      error: 'forbidden',
      reason: 'the prikazce step must be decided before the ucetni step'
    });
    const [clerk] = await write('referent.gymkt', [decision(doc, 'referent.gymkt', 'prikazce')]);
    expect(clerk).toMatchObject({ error: 'forbidden', reason: expect.stringMatching(/needs the manager role/) });
    const [spravce] = await write('ucetni.gymkt', [decision(doc, 'ucetni.gymkt', 'spravce', { fundsConfirmed: true })]);
    expect(spravce).toMatchObject({ error: 'forbidden', reason: expect.stringMatching(/has no spravce step/) });
  });

  it('approves příkazce → hlavní účetní, then refuses any further decision', async () => {
    const doc = await registered();
    expect((await write('reditel.gymkt', [decision(doc, 'reditel.gymkt', 'prikazce')]))[0]).toMatchObject({ ok: true });
    expect((await write('ucetni.gymkt', [decision(doc, 'ucetni.gymkt', 'ucetni')]))[0]).toMatchObject({ ok: true });
    const [late] = await write('zastupce.gymkt', [
      decision(doc, 'zastupce.gymkt', 'prikazce', { verdict: 'reject', comment: 'ne' })
    ]);
    expect(late).toMatchObject({ error: 'forbidden', reason: 'the document is already approved' });
  });

  it('refuses deleting a decision, also to an administrator (it would reopen the round)', async () => {
    const doc = await registered();
    const [made] = await write('reditel.gymkt', [decision(doc, 'reditel.gymkt', 'prikazce')]);
    expect(made).toMatchObject({ ok: true });
    const [gone] = await write('admin', [{ _id: made.id, _rev: made.rev, _deleted: true }]);
    expect(gone).toMatchObject({ error: 'forbidden', reason: expect.stringMatching(/decision record is history/) });
    expect((await s.app.couch.use(DB).get(made.id!))._rev).toBe(made.rev);
  });

  it('refuses a decision on an amount or supplier the document no longer has (changed before the decision arrived)', async () => {
    const doc = await registered();
    const seen = { amount: doc.amount, currency: doc.currency, supplier: doc.supplier, supplierIco: doc.supplierIco };
    // The clerk raises the amount while the director's decision, made on 1,200 CZK, waits offline.
    const stored = await s.app.couch.use<Record<string, unknown>>(DB).get(doc._id);
    const [raised] = await write('referent.gymkt', [{ ...stored, amount: 1_200_000, updatedAt: now() }]);
    expect(raised).toMatchObject({ ok: true });
    const [unseen] = await write('reditel.gymkt', [decision(doc, 'reditel.gymkt', 'prikazce', { seen })]);
    expect(unseen).toMatchObject({
      error: 'forbidden',
      reason: expect.stringMatching(/amount changed after you saw it \(1200 → 1200000\)/)
    });
    // Looked at again: decided on what the document says now.
    const [again] = await write('reditel.gymkt', [
      decision(doc, 'reditel.gymkt', 'prikazce', { seen: { ...seen, amount: 1_200_000 } })
    ]);
    expect(again).toMatchObject({ ok: true });
  });

  it('a change of the finance flags does not re-judge a document the server received before it', async () => {
    const doc = await registered();
    expect((await write('reditel.gymkt', [decision(doc, 'reditel.gymkt', 'prikazce')]))[0]).toMatchObject({ ok: true });
    expect((await write('ucetni.gymkt', [decision(doc, 'ucetni.gymkt', 'ucetni')]))[0]).toMatchObject({ ok: true });
    // The administrator asks invoices to pass the správce rozpočtu from now on (as the org route records it).
    const orgs = s.app.couch.use<Record<string, unknown> & FinanceFlags>('region_orgs');
    const org = await orgs.get('gym-kt');
    const at = new Date().toISOString();
    await orgs.insert({
      ...org,
      invoicesNeedBudget: true,
      financeHistory: financeHistoryAfter(org, { ...org, invoicesNeedBudget: true }, at)
    });
    try {
      // Approved before the change, it stays approved: no správce step is taken on it.
      const [late] = await write('ucetni.gymkt', [decision(doc, 'ucetni.gymkt', 'spravce', { fundsConfirmed: true })]);
      expect(late).toMatchObject({ error: 'forbidden', reason: 'the document is already approved' });
      // One registered after the change needs it.
      const fresh = await registered();
      expect((await write('reditel.gymkt', [decision(fresh, 'reditel.gymkt', 'prikazce')]))[0]).toMatchObject({
        ok: true
      });
      const [skipped] = await write('ucetni.gymkt', [decision(fresh, 'ucetni.gymkt', 'ucetni')]);
      expect(skipped).toMatchObject({
        error: 'forbidden',
        reason: expect.stringMatching(/spravce step must be decided/)
      });
    } finally {
      const now = await orgs.get('gym-kt');
      await orgs.insert({ ...org, _rev: now._rev });
    }
  });

  it('refuses one person taking two steps', async () => {
    const doc = await registered();
    expect((await write('dvojrole.gymkt', [decision(doc, 'dvojrole.gymkt', 'prikazce')]))[0]).toMatchObject({
      ok: true
    });
    const [second] = await write('dvojrole.gymkt', [decision(doc, 'dvojrole.gymkt', 'ucetni')]);
    expect(second).toMatchObject({
      error: 'forbidden',
      reason: expect.stringMatching(/already took the prikazce step/)
    });
  });

  it('two offline decisions on one step: the first to arrive wins, the other learns who and when', async () => {
    const doc = await registered();
    const [first] = await write('reditel.gymkt', [decision(doc, 'reditel.gymkt', 'prikazce')]);
    expect(first).toMatchObject({ ok: true });
    const stored = await s.app.couch.use<{ receivedAt: string }>(DB).get(first.id!);
    const [second] = await write('zastupce.gymkt', [
      decision(doc, 'zastupce.gymkt', 'prikazce', { verdict: 'reject', comment: 'ne' })
    ]);
    expect(second).toMatchObject({
      error: 'forbidden',
      reason: `the prikazce step was already decided by reditel.gymkt at ${stored.receivedAt}`
    });
  });

  it('two decisions on one step arriving at the same moment: exactly one is stored', async () => {
    const doc = await registered();
    const [a, b] = await Promise.all([
      c['reditel.gymkt'].bulkDocs(DB, [decision(doc, 'reditel.gymkt', 'prikazce')]),
      c['zastupce.gymkt'].bulkDocs(DB, [decision(doc, 'zastupce.gymkt', 'prikazce')])
    ]);
    expect([a.body[0].ok, b.body[0].ok].filter(Boolean)).toHaveLength(1);
  });

  it('refuses a change to a past decision', async () => {
    const doc = await registered();
    const d = decision(doc, 'reditel.gymkt', 'prikazce');
    const [ok] = await write('reditel.gymkt', [d]);
    const [changed] = await write('reditel.gymkt', [
      { ...d, _rev: ok.rev, verdict: 'reject', comment: 'rozmyslel jsem si to' }
    ]);
    expect(changed).toMatchObject({ error: 'forbidden', reason: 'a decision is final and may not be changed' });
  });

  it('refuses a decision by someone whose role was taken away since', async () => {
    const doc = await registered();
    // The manager role taken away: the account kept, its memberships replaced.
    const account = await getUser(s.app.couch, 'odvolany.gymkt');
    await saveUser(s.app.couch, { ...account!, memberships: [{ role: 'clerk', org: 'gym-kt' }] });
    const [d] = await write('odvolany.gymkt', [decision(doc, 'odvolany.gymkt', 'prikazce')]);
    expect(d).toMatchObject({ error: 'forbidden', reason: expect.stringMatching(/needs the manager role/) });
  });

  it('a rejection returns the document to its registrar, whose correction starts round 2', async () => {
    const doc = await registered();
    const [rej] = await write('reditel.gymkt', [
      decision(doc, 'reditel.gymkt', 'prikazce', { verdict: 'reject', comment: 'Špatná částka' })
    ]);
    expect(rej).toMatchObject({ ok: true });
    const stored = await s.app.couch.use<Record<string, unknown>>(DB).get(doc._id);
    const [byOther] = await write('reditel.gymkt', [
      { ...stored, amount: 1000, round: 2, updatedBy: 'reditel.gymkt', updatedAt: now() }
    ]);
    expect(byOther).toMatchObject({
      error: 'forbidden',
      reason: expect.stringMatching(/only the registrar \(referent.gymkt\)/)
    });
    const [sameRound] = await write('referent.gymkt', [{ ...stored, amount: 1000, updatedAt: now() }]);
    expect(sameRound).toMatchObject({ error: 'forbidden', reason: 'a corrected document starts round 2' });
    const [fixed] = await write('referent.gymkt', [{ ...stored, amount: 1000, round: 2, updatedAt: now() }]);
    expect(fixed).toMatchObject({ ok: true });
    const [stale] = await write('zastupce.gymkt', [decision({ _id: doc._id, round: 1 }, 'zastupce.gymkt', 'prikazce')]);
    expect(stale).toMatchObject({ error: 'forbidden', reason: expect.stringMatching(/now in round 2/) });
    expect(
      (await write('reditel.gymkt', [decision({ _id: doc._id, round: 2 }, 'reditel.gymkt', 'prikazce')]))[0]
    ).toMatchObject({ ok: true });
  });

  it('refuses an invoice over the příslib’s remaining amount and names what remains', async () => {
    const lp = 'apv-gym-kt-lp-2026-001';
    const over = invoice({ prislibId: lp, amount: 120000.01, _id: `${lp}:inv:${uniqueId('t')}` });
    expect((await write('referent.gymkt', [over]))[0]).toMatchObject({
      error: 'forbidden',
      reason: "over the příslib's limit: 120000 CZK remains"
    });
    const fits = invoice({ prislibId: lp, amount: 100000, _id: `${lp}:inv:${uniqueId('t')}` });
    expect((await write('referent.gymkt', [fits]))[0]).toMatchObject({ ok: true });
    const next = invoice({ prislibId: lp, amount: 20000.5, _id: `${lp}:inv:${uniqueId('t')}` });
    expect((await write('referent.gymkt', [next]))[0]).toMatchObject({
      reason: "over the příslib's limit: 20000 CZK remains"
    });
  });

  it("refuses a decision by the holder of the step's role in another organization, naming the database", async () => {
    const doc = await registered();
    const res = await c['reditel.sus'].bulkDocs(DB, [decision(doc, 'reditel.sus', 'prikazce')]);
    expect(res.status).toBe(403);
    expect(res.body as unknown).toMatchObject({ reason: `you have no access to ${DB}` });
  });

  it.each([
    ['an order with an amount that is not a number', { type: 'order', amount: 'tisíc' }, /amount must be number/],
    [
      'a příslib with a negative limit',
      { type: 'prislib', amount: -1, validFrom: '2026-01-01', validTo: '2026-12-31' },
      /amount must be >= 0/
    ],
    ['an invoice with no amount', { amount: undefined }, /amount/]
  ])('refuses %s, with the reason', async (_n, extra, reason) => {
    const [row] = await write('referent.gymkt', [invoice(extra)]);
    expect(row).toMatchObject({ error: 'forbidden', reason: expect.stringMatching(reason) });
  });

  it('a refused document does not hold back the rest of the batch', async () => {
    const good = invoice({ number: 'FV-T-OK' });
    const rows = await write('referent.gymkt', [invoice({ amount: -1 }), good, invoice({ supplierIco: '12345678' })]);
    expect(rows.map((r) => r.ok ?? r.error)).toEqual(['forbidden', true, 'forbidden']);
    expect((await s.app.couch.use(DB).get(good._id))._id).toBe(good._id);
  });

  it('judges a batch in order: a document and its first decision in one request pass, a second decision does not', async () => {
    const doc = invoice({}, 'reditel.gymkt');
    const rows = await write('reditel.gymkt', [
      doc,
      decision(doc, 'reditel.gymkt', 'prikazce'),
      decision(doc, 'reditel.gymkt', 'prikazce')
    ]);
    expect(rows.map((r) => r.ok ?? r.error)).toEqual([true, true, 'forbidden']);
  });
});
