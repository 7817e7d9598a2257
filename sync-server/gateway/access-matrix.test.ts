/**
 * For every demo user and every kind of database: reading (every read endpoint, database info
 * among them) and writing (a valid new document for that collection) are allowed or refused
 * exactly as the role table says.
 * Reads follow `databasesFor`; writes are listed by hand here from the design's role table,
 * and must be a subset of the writable databases `databasesFor` reports.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databasesFor, type SessionUser } from '../../src/lib/domain/access';
import { ORG_COLLECTIONS, REGION_COLLECTIONS, orgDb, regionDb } from '../../src/lib/domain/databases';
import { DEMO_USERS } from '../demo/region';
import { login, startTestServer, type TestServer } from '../testing/server';
import { client, validDoc, type Client } from './test-support';

/** Own org of the school users, another school (contractor's DO district), roads, the office. */
const ORGS = ['gym-kt', 'sos-do', 'sus', 'ku'];
const DATABASES = [
  ...ORGS.flatMap((o) => ORG_COLLECTIONS.map((c) => orgDb(o, c))),
  ...REGION_COLLECTIONS.map(regionDb),
  'auth',
  'push'
];

const MANAGER_WRITES = ['tickets', 'comments', 'approvals', 'assets', 'media', 'contracts', 'contractscans'];

/** Where each user may create a new document. */
const CREATES: Record<string, string[]> = {
  // Alerts are a dispatcher's alone: they reach phones as push notifications.
  admin: DATABASES.filter((d) => d !== 'auth' && d !== 'push' && d !== 'region_alerts'),
  helpdesk: ORGS.flatMap((o) =>
    ['tickets', 'comments', 'assets', 'media', 'notes', 'contracts', 'contractscans'].map((c) => `org_${o}_${c}`)
  ),
  // tickets and their comments only when assigned to them; internal notes in the organizations of their districts
  'technik.kt': ['org_gym-kt_media', 'org_sos-do_media', 'org_gym-kt_notes', 'org_sos-do_notes'],
  // tasks: a director splits issued tasks into sub-tasks but does not issue them
  // the director keeps the organization's contract archive (contracts and their scans)
  'reditel.gymkt': MANAGER_WRITES.map((c) => `org_gym-kt_${c}`),
  'zastupce.gymkt': MANAGER_WRITES.map((c) => `org_gym-kt_${c}`),
  'referent.gymkt': ['org_gym-kt_approvals', 'org_gym-kt_media'], // registers invoices and orders
  'ucetni.gymkt': ['org_gym-kt_approvals', 'org_gym-kt_media'], // the chief accountant registers too
  'ucitel.gymkt': ['org_gym-kt_tickets', 'org_gym-kt_comments', 'org_gym-kt_media'], // tasks: only steps on those passed to them
  'reditel.sus': MANAGER_WRITES.map((c) => `org_sus_${c}`),
  'ekonom.sus': ['org_sus_media'], // approvals: only their decision step
  'ucetni.sus': ['org_sus_approvals', 'org_sus_media'],
  'ucitel.sosdo': ['org_sos-do_tickets', 'org_sos-do_comments', 'org_sos-do_media'],
  // media: only files naming a task it issued (a generic file is refused; see portal/task-media.gateway.test.ts)
  'odbor.skolstvi': ['org_gym-kt_tasks', 'org_sos-do_tasks'],
  dispecer: ['org_sus_dispatch', 'org_sus_media', 'region_alerts', 'region_izs', 'region_sections'], // catalog: the operating plan only
  'silnicar.kt': ['org_sus_dispatch', 'org_sus_media'],
  izs: ['region_izs']
};

let s: TestServer;
const clients = new Map<string, Client>();
const users = new Map<string, SessionUser>();

beforeAll(async () => {
  s = await startTestServer();
  for (const u of DEMO_USERS) {
    clients.set(u.username, client(s.url, await login(s.url, u.username)));
    users.set(u.username, { id: u.username, name: u.name, memberships: u.memberships });
  }
}, 120_000);
afterAll(async () => s?.close());

const matrix = DEMO_USERS.flatMap((u) => DATABASES.map((db) => [u.username, db] as const));

describe('write: a valid new document only where the role table allows creating it', () => {
  it('the hand-written table agrees with the writable databases of databasesFor', () => {
    for (const [username, dbs] of Object.entries(CREATES)) {
      const writable = databasesFor(users.get(username)!, s.app.orgs.list())
        .filter((d) => d.write)
        .map((d) => d.db);
      for (const db of dbs) expect(writable, `${username} ${db}`).toContain(db);
    }
  });

  it.each(matrix)('%s writes %s as the role table says', async (username, db) => {
    const expected = CREATES[username].includes(db);
    const doc = db === 'auth' || db === 'push' ? { _id: 'x', type: 'user' } : validDoc(db, username);
    const { status, body } = await clients.get(username)!.bulkDocs(db, [doc]);
    if (expected) {
      expect(status).toBe(201);
      expect(body[0]).toMatchObject({ ok: true, id: doc._id });
    } else if (status === 201) {
      expect(body[0]).toMatchObject({ id: doc._id, error: 'forbidden' });
    } else {
      expect([403, 404]).toContain(status);
    }
  });
});

describe('internal notes: only the roles that handle tickets as staff read them', () => {
  /** From the design's role table, by hand: agent, the district's contractor, admin. */
  const STAFF = ['admin', 'helpdesk', 'technik.kt'];
  it.each(DEMO_USERS.map((u) => u.username))('%s reads the notes of gym-kt only if staff', async (username) => {
    const res = await clients.get(username)!.get('/couch/org_gym-kt_notes/_all_docs?include_docs=true');
    const body = await res.json();
    if (STAFF.includes(username)) {
      expect(res.status).toBe(200);
      expect(body.rows.map((r: { doc: { ticketId: string } }) => r.doc.ticketId)).toContain('tkt-gym-kt-0002');
    } else {
      expect([403, 404]).toContain(res.status);
      expect(JSON.stringify(body)).not.toContain('tkt-gym-kt-0002');
    }
  });
});

/** Every read endpoint of the allow-list, with a harmless request each (ids that do not exist). */
const READ_ENDPOINTS: [method: string, path: string, body?: unknown][] = [
  ['GET', ''],
  ['GET', '_changes?limit=1'],
  ['GET', '_changes?feed=longpoll&since=0&limit=1'],
  ['GET', '_all_docs?limit=1'],
  ['POST', '_all_docs', { keys: ['matrix-missing'] }],
  ['POST', '_revs_diff', { 'matrix-missing': ['1-abc'] }],
  ['POST', '_bulk_get', { docs: [{ id: 'matrix-missing' }] }],
  ['GET', 'matrix-missing?open_revs=all'],
  ['GET', 'matrix-missing'],
  ['GET', '_local/matrix-missing'],
  ['GET', 'matrix-missing/file']
];

describe('read: every read endpoint only for the databases of the user', () => {
  it.each(matrix)('%s reads %s through every endpoint as databasesFor says', async (username, db) => {
    const expected = databasesFor(users.get(username)!, s.app.orgs.list()).some((d) => d.db === db);
    const media = db.endsWith('_media') || db.endsWith('_contractscans');
    const endpoints = READ_ENDPOINTS.filter(([, path]) => media || path !== 'matrix-missing/file');
    const answers = await Promise.all(
      endpoints.map(async ([method, path, body]) => {
        const res = await clients.get(username)!.send(method, `/couch/${db}/${path}`, body);
        return { res, answer: (await res.json()) as { error?: string; reason?: string }, method, path };
      })
    );
    // A founding department reads an organization's files one at a time (those of its tasks): no listings.
    const founderListing = (path: string) =>
      username === 'odbor.skolstvi' && media && /^(_changes|_bulk_get|_all_docs\?limit)/.test(path);
    // …and the current version only: an earlier one would be served unchecked.
    const founderOtherRevision = (path: string) =>
      username === 'odbor.skolstvi' && db.endsWith('_media') && /[?&](open_revs|rev|latest)=/.test(path);
    for (const { res, answer, method, path } of answers) {
      const what = `${method} ${db}/${path}: ${res.status} ${JSON.stringify(answer)}`;
      if (expected && founderListing(path)) {
        expect(res.status, what).toBe(403);
        expect(answer.reason, what).toMatch(/one at a time/);
      } else if (expected && founderOtherRevision(path)) {
        expect(res.status, what).toBe(403);
        expect(answer.reason, what).toMatch(/only the current version/);
      } else if (expected && path === '') {
        expect(res.status, what).toBe(200);
        expect((answer as { db_name?: string }).db_name, what).toBe(db);
      } else if (expected) {
        // Served by CouchDB: the page, or its own "missing" for the made-up ids.
        expect(res.status === 200 || (res.status === 404 && /missing|deleted/.test(String(answer.reason))), what).toBe(
          true
        );
      } else {
        expect(res.status, what).toBe(db === 'auth' || db === 'push' ? 404 : 403);
        expect(answer.error, what).toBeTypeOf('string');
        expect(answer.reason, what).not.toMatch(/^missing$/);
      }
    }
  });
});

describe('_local writes only where the user may write', () => {
  it.each(matrix)('%s stores a checkpoint in %s only if it may write there', async (username, db) => {
    const writable = databasesFor(users.get(username)!, s.app.orgs.list()).some((d) => d.db === db && d.write);
    const res = await clients.get(username)!.send('PUT', `/couch/${db}/_local/matrix-${username}`, { last_seq: 1 });
    const what = `${username} ${db}: ${res.status}`;
    if (writable) expect(res.status, what).toBe(201);
    else expect(res.status, what).toBe(db === 'auth' || db === 'push' ? 404 : 403);
  });
});
