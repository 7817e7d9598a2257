import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORG_SCHEMAS, REGION_SCHEMAS, toJsonSchema } from '../../src/lib/domain/schemas';
import { findUser } from '../auth/users';
import { login, startTestServer, type TestServer } from '../testing/server';
import { DEMO_CATEGORIES, DEMO_SLA } from './catalog';
import { demoDocuments } from './documents';
import { DEMO_USERS } from './region';
import { seedDemo } from './seed';

const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
const databases = demoDocuments();

describe('demo documents', () => {
  it.each(databases.map((d) => [d.db, d] as const))('%s passes its collection schema', (_db, d) => {
    const schema = d.kind === 'org' ? ORG_SCHEMAS[d.collection] : REGION_SCHEMAS[d.collection];
    const validate = ajv.compile(toJsonSchema(schema));
    for (const doc of d.docs) {
      const ok = validate(doc);
      expect(ok, `${doc.id}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      if (d.kind === 'org') expect(doc.orgId).toBe(d.db.split('_')[1]);
    }
  });

  it('has the 7 districts’ organizations, an SLA policy per priority and priced categories', () => {
    const orgs = databases.find((d) => d.db === 'region_orgs')!.docs;
    expect(new Set(orgs.map((o) => o.district))).toEqual(new Set(['PM', 'PS', 'PJ', 'KT', 'DO', 'TC', 'RO']));
    expect(DEMO_SLA.map((s) => s.priority)).toEqual(['P1', 'P2', 'P3', 'P4']);
    expect(DEMO_CATEGORIES.every((c) => c.price > 0)).toBe(true);
    expect(databases.filter((d) => d.collection === 'tickets').length).toBe(orgs.length);
  });
});

describe('demo seed', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server?.close());

  it.each(DEMO_USERS.map((u) => [u.username]))('%s can sign in with the password demo', async (username) => {
    expect(await login(server.url, username)).toMatch(/=/);
  });

  it('stores the users with their memberships', async () => {
    const user = await findUser(server.app.couch, 'technik.kt');
    expect(user?.memberships).toEqual([{ role: 'contractor', districts: ['KT', 'DO'] }]);
  });

  it('adds nothing when seeded again', async () => {
    expect(await seedDemo(server.app.couch)).toEqual({ docs: 0, users: 0 });
  });

  it('two servers seeding one CouchDB at once both start, and each missing document is stored once', async () => {
    // What the two find missing: a few documents and an account, gone since the first seed.
    const couch = server.app.couch;
    const { db, docs } = databases.find((d) => d.db.endsWith('_tickets') && d.docs.length >= 3)!;
    const gone = docs.slice(0, 3).map((d) => d.id);
    for (const id of gone) {
      const stored = await couch.use(db).get(id);
      await couch.use(db).destroy(id, stored._rev);
    }
    const account = await findUser(couch, 'izs');
    await couch.use('auth').destroy(account!._id, account!._rev!);

    const runs = await Promise.allSettled([seedDemo(couch), seedDemo(couch)]);
    expect(runs.map((r) => (r.status === 'rejected' ? String(r.reason) : r.status))).toEqual([
      'fulfilled',
      'fulfilled'
    ]);
    const added = runs.map((r) => (r as PromiseFulfilledResult<{ docs: number; users: number }>).value);
    expect(added[0].docs + added[1].docs).toBe(gone.length);
    expect(added[0].users + added[1].users).toBe(1);
    expect(await login(server.url, 'izs')).toMatch(/=/);
    expect(await seedDemo(couch)).toEqual({ docs: 0, users: 0 });
  });
});
