/**
 * The asset register through the real gateway: who writes it, one inventory number per
 * organization, retirement only with the manager's approval, append-only history, and only
 * the record types the module knows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assetDocId } from '../../src/lib/domain/assets/ids';
import { login, startTestServer, type TestServer } from '../testing/server';
import { client, uniqueId, type Client } from './test-support';

let s: TestServer;
let agent: Client;
let tech: Client;
let teacher: Client;
let director: Client;
let otherDirector: Client;

beforeAll(async () => {
  s = await startTestServer();
  agent = client(s.url, await login(s.url, 'helpdesk'));
  tech = client(s.url, await login(s.url, 'technik.kt'));
  teacher = client(s.url, await login(s.url, 'ucitel.gymkt'));
  director = client(s.url, await login(s.url, 'reditel.gymkt'));
  otherDirector = client(s.url, await login(s.url, 'reditel.sus'));
}, 120_000);
afterAll(async () => s?.close());

const DB = 'org_gym-kt_assets';

function asset(by: string, extra: Record<string, unknown> = {}, orgId = 'gym-kt') {
  const at = new Date().toISOString();
  const inventoryNo = (extra.inventoryNo as string) ?? uniqueId('TEST').toUpperCase();
  return {
    _id: assetDocId(orgId, inventoryNo),
    type: 'asset',
    orgId,
    inventoryNo,
    key: inventoryNo,
    refId: '',
    day: '',
    kind: 'laptop',
    name: 'Notebook Lenovo ThinkPad T14',
    state: 'in_use',
    createdBy: by,
    createdAt: at,
    updatedBy: by,
    updatedAt: at,
    ...extra
  };
}

async function stored(c: Client, id: string, db = DB) {
  return (await c.get(`/couch/${db}/${encodeURIComponent(id)}`)).json();
}

/** The stored version edited by `by` (keeps `_rev`, so it is an edit, not a second creation). */
async function edit(c: Client, id: string, by: string, change: Record<string, unknown>) {
  const doc = await stored(c, id);
  return { ...doc, ...change, updatedBy: by, updatedAt: new Date().toISOString() };
}

describe('who writes the register', () => {
  it('the agent and the organization’s manager write assets', async () => {
    expect((await agent.bulkDocs(DB, [asset('helpdesk')])).body[0]).toMatchObject({ ok: true });
    expect((await director.bulkDocs(DB, [asset('reditel.gymkt')])).body[0]).toMatchObject({ ok: true });
  });

  it('the contractor reads the register but may not write it', async () => {
    expect((await tech.get(`/couch/${DB}/_all_docs?limit=1`)).status).toBe(200);
    const res = await tech.bulkDocs(DB, [asset('technik.kt')]);
    expect(res.status).toBe(403);
    expect(res.body.reason).toMatch(/read-only/);
  });

  it('the requester reads the register but may not write it', async () => {
    expect((await teacher.get(`/couch/${DB}/_all_docs?limit=1`)).status).toBe(200);
    const res = await teacher.bulkDocs(DB, [asset('ucitel.gymkt')]);
    expect(res.status).toBe(403);
  });

  it('another organization’s manager may not write it, while writing their own', async () => {
    const res = await otherDirector.bulkDocs(DB, [asset('reditel.sus')]);
    expect(res.status).toBe(403);
    expect(res.body.reason).toMatch(/no access/);
    const own = await otherDirector.bulkDocs('org_sus_assets', [asset('reditel.sus', {}, 'sus')]);
    expect(own.body[0]).toMatchObject({ ok: true });
  });
});

describe('one inventory number per organization', () => {
  it('refuses a second asset with a used number, readably, and accepts edits of the first', async () => {
    const first = asset('helpdesk', { inventoryNo: 'GYMKT-DUP-0001', key: 'GYMKT-DUP-0001' });
    expect((await agent.bulkDocs(DB, [first])).body[0]).toMatchObject({ ok: true });
    const second = asset('reditel.gymkt', {
      inventoryNo: 'GYMKT-DUP-0001',
      key: 'GYMKT-DUP-0001',
      name: 'Tiskárna HP',
      createdAt: new Date(Date.now() + 1000).toISOString()
    });
    const { body } = await director.bulkDocs(DB, [second]);
    expect(body[0]).toMatchObject({ error: 'forbidden' });
    expect(body[0].reason).toMatch(/inventory number GYMKT-DUP-0001 is already in this organization's register/);
    expect((await stored(agent, first._id)).name).toBe('Notebook Lenovo ThinkPad T14');
    const edited = await edit(director, first._id, 'reditel.gymkt', { site: 'Sborovna' });
    expect((await director.bulkDocs(DB, [edited])).body[0]).toMatchObject({ ok: true });
  });

  it('the same number is free in another organization', async () => {
    const other = asset('reditel.sus', { inventoryNo: 'GYMKT-DUP-0001', key: 'GYMKT-DUP-0001' }, 'sus');
    expect((await otherDirector.bulkDocs('org_sus_assets', [other])).body[0]).toMatchObject({ ok: true });
  });

  it('refuses an asset whose id is not made from its number', async () => {
    const { body } = await agent.bulkDocs(DB, [{ ...asset('helpdesk'), _id: 'asset-free-id' }]);
    expect(body[0].reason).toMatch(/id is made from its organization and inventory number/);
  });
});

describe('retirement needs the manager’s approval', () => {
  const request = (at: string) => ({ reason: 'Prasklá základní deska', requestedBy: 'helpdesk', requestedAt: at });

  it('refuses retiring an asset nobody approved', async () => {
    const a = asset('helpdesk');
    await agent.bulkDocs(DB, [a]);
    const { body } = await agent.bulkDocs(DB, [await edit(agent, a._id, 'helpdesk', { state: 'retired' })]);
    expect(body[0].reason).toMatch(/needs the manager's approval/);
  });

  it('refuses the agent approving its own request', async () => {
    const at = new Date().toISOString();
    const a = asset('helpdesk', { retirement: request(at) });
    expect((await agent.bulkDocs(DB, [a])).body[0]).toMatchObject({ ok: true });
    const approved = await edit(agent, a._id, 'helpdesk', {
      retirement: { ...request(at), decision: 'approved', decidedBy: 'helpdesk', decidedAt: at }
    });
    expect((await agent.bulkDocs(DB, [approved])).body[0].reason).toMatch(/only the organization's manager decides/);
  });

  it('the agent asks, the manager approves, the agent retires it', async () => {
    const at = new Date().toISOString();
    const a = asset('helpdesk', { retirement: request(at) });
    await agent.bulkDocs(DB, [a]);
    const approved = await edit(director, a._id, 'reditel.gymkt', {
      retirement: { ...request(at), decision: 'approved', decidedBy: 'reditel.gymkt', decidedAt: at }
    });
    expect((await director.bulkDocs(DB, [approved])).body[0]).toMatchObject({ ok: true });
    const retired = await edit(agent, a._id, 'helpdesk', { state: 'retired', stateSince: at.slice(0, 10) });
    expect((await agent.bulkDocs(DB, [retired])).body[0]).toMatchObject({ ok: true });
    const back = await edit(agent, a._id, 'helpdesk', { state: 'in_use' });
    expect((await agent.bulkDocs(DB, [back])).body[0].reason).toMatch(/stays retired/);
  });
});

describe('records of the module', () => {
  it('keeps history entries as written and refuses unknown types', async () => {
    const at = new Date().toISOString();
    const entry = {
      _id: uniqueId('hist'),
      type: 'asset_history',
      orgId: 'gym-kt',
      key: '',
      refId: assetDocId('gym-kt', 'GYMKT-DUP-0001'),
      state: '',
      day: '',
      action: 'edited',
      changes: [{ field: 'site', from: '', to: 'Sborovna' }],
      createdBy: 'helpdesk',
      createdAt: at,
      updatedBy: 'helpdesk',
      updatedAt: at
    };
    expect((await agent.bulkDocs(DB, [entry])).body[0]).toMatchObject({ ok: true });
    const changed = await edit(agent, entry._id, 'helpdesk', { action: 'state' });
    expect((await agent.bulkDocs(DB, [changed])).body[0].reason).toMatch(/written once and never changed/);
    const { body } = await agent.bulkDocs(DB, [{ ...entry, _id: uniqueId('x'), type: 'spaceship' }]);
    expect(body[0].reason).toMatch(/unknown record type "spaceship"/);
  });
});
