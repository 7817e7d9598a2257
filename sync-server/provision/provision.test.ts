import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import nano from 'nano';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allDatabases } from '../../src/lib/domain/databases';
import { EmbeddedCouch } from '../embedded-couch/supervisor';
import { DESIGN_DOC_ID, designDocFor, securityFor } from './design-docs';
import { provisionAll, provisionOrg } from './provision';
import { ORG_COLLECTIONS, orgDb } from '../../src/lib/domain/databases';

let dir: string;
let embedded: EmbeddedCouch;
let couch: nano.ServerScope;
const ORGS = ['gym-kt', 'sus'];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ict-provision-'));
  embedded = new EmbeddedCouch({ dir, log: pino({ level: 'silent' }) });
  await embedded.start();
  couch = nano(embedded.url);
});
afterAll(async () => {
  await embedded?.stop();
  await rm(dir, { recursive: true, force: true });
});

const now = new Date().toISOString();
const audit = { createdBy: 'helpdesk', createdAt: now, updatedBy: 'helpdesk', updatedAt: now };
const asset = (orgId: string) => ({
  type: 'asset',
  key: 'INV-1',
  refId: '',
  day: '',
  orgId,
  inventoryNo: 'INV-1',
  kind: 'printer',
  name: 'HP',
  state: 'in_use',
  ...audit
});

async function revisions(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const db of allDatabases(ORGS)) {
    const rows = (await couch.use(db).list({ startkey: '_design/', endkey: '_design0' })).rows;
    for (const r of rows) out[`${db}/${r.id}`] = r.value.rev;
    out[`${db}/_security`] = JSON.stringify(await couch.request({ db, path: '_security' }));
  }
  return out;
}

describe('provisioning', () => {
  it('creates every database with its design document and security object', async () => {
    const report = await provisionAll(couch, ORGS);
    for (const db of allDatabases(ORGS)) expect(await couch.db.list()).toContain(db);
    expect(report.createdDbs).toHaveLength(allDatabases(ORGS).length);
    const ddoc = await couch.use('org_gym-kt_tickets').get(DESIGN_DOC_ID);
    expect(ddoc).toHaveProperty('validate_doc_update');
    expect(await couch.request({ db: 'auth', path: '_security' })).toMatchObject({ members: { roles: ['_admin'] } });
  });

  it('changes nothing when run a second time (same revisions)', async () => {
    const before = await revisions();
    const report = await provisionAll(couch, ORGS);
    expect(report).toEqual({ createdDbs: [], updatedDesignDocs: [], updatedSecurity: [] });
    expect(await revisions()).toEqual(before);
  });

  it('provisions a new organization written at once, also by two runs at the same time', async () => {
    // A database created by the run writes its design document and security without reading them.
    // Each run creates some of the databases and finds the others created by the other run,
    // whose design document or security may land between its read and its write: both runs succeed.
    const runs = await Promise.allSettled([provisionOrg(couch, 'zs-new'), provisionOrg(couch, 'zs-new')]);
    expect(runs.map((r) => (r.status === 'rejected' ? String(r.reason) : r.status))).toEqual([
      'fulfilled',
      'fulfilled'
    ]);
    const dbs = ORG_COLLECTIONS.map((c) => orgDb('zs-new', c));
    for (const db of dbs) {
      const wanted = designDocFor(db);
      if (wanted) expect(await couch.use(db).get(DESIGN_DOC_ID)).toMatchObject(wanted);
      expect(await couch.request({ db, path: '_security' })).toEqual(securityFor(db));
    }
    expect(await provisionOrg(couch, 'zs-new')).toEqual({ createdDbs: [], updatedDesignDocs: [], updatedSecurity: [] });
  });

  it('repairs a design document someone changed', async () => {
    const db = couch.use<Record<string, unknown>>('org_sus_assets');
    const ddoc = await db.get(DESIGN_DOC_ID);
    await db.insert({ ...ddoc, validate_doc_update: 'function(){}' });
    const report = await provisionAll(couch, ORGS);
    expect(report.updatedDesignDocs).toEqual(['org_sus_assets']);
  });

  it.each([
    ['a document of another organization', 'org_gym-kt_assets', asset('sus'), /orgId must be "gym-kt"/],
    [
      'a document without a required field',
      'org_gym-kt_assets',
      { ...asset('gym-kt'), type: undefined },
      /missing required field: type/
    ],
    [
      'a region document without its audit fields',
      'region_orgs',
      { name: 'X', shortName: 'X', kind: 'school', district: 'KT' },
      /missing required field: createdBy/
    ]
  ])('rejects %s in CouchDB itself', async (_name, dbName, doc, reason) => {
    await expect(couch.use(dbName).insert(doc as object)).rejects.toThrow(reason);
  });

  it('keeps orgId, createdBy and createdAt immutable', async () => {
    const db = couch.use<Record<string, unknown>>('org_sus_assets');
    const created = await db.insert({ _id: 'asset-1', ...asset('sus') });
    await expect(
      db.insert({ _id: 'asset-1', _rev: created.rev, ...asset('sus'), createdBy: 'someone.else' })
    ).rejects.toThrow(/field cannot change: createdBy/);
    await expect(
      db.insert({ _id: 'asset-1', _rev: created.rev, ...asset('sus'), name: 'Renamed' })
    ).resolves.toHaveProperty('ok', true);
  });
});
