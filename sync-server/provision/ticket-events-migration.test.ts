/**
 * Notes written before they had their own database (ticket events of kind `note`, in the
 * winning revision and in a conflicting one) are moved out when the server starts; afterwards
 * no read endpoint of the gateway returns a note to the ticket's requester, the director or
 * the finance roles: not the document, not an old revision by `rev`, `open_revs` or
 * `_bulk_get`, not `_all_docs`, not `_changes`. The staff find them in the notes database.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, type Client } from '../gateway/test-support';
import { demoDataDir, login, startTestServer, type TestServer } from '../testing/server';
import { migratePendingOrgs } from './migration-marker';
import { migrateTicketEvents, REGION_MARKER } from './ticket-events-migration';

const SECRET = 'TAJNÉ: heslo k routeru je v šuplíku';
const SECRET_2 = 'TAJNÉ: dodavatel fakturuje dvakrát';
const TICKETS = 'org_gym-kt_tickets';
const ID = 'tkt-gym-kt-0001';
const LEGACY = 'tkt-gym-kt-legacy';

let dataDir: string;
let s: TestServer;
/** Revisions that held notes before the move. */
const oldRevs: string[] = [];

const noteEvent = (id: string, text: string, at: string) => ({ id, at, by: 'helpdesk', kind: 'note', text });

/** Legacy data as an older server stored it, written straight to the store. */
async function writeLegacyNotes(server: TestServer) {
  const db = server.app.couch.use<Record<string, unknown>>(TICKETS);
  const t = (await db.get(ID)) as unknown as Record<string, unknown> & { events: unknown[] };
  const at = new Date().toISOString();
  const withNote = { ...t, events: [...t.events, noteEvent('ev-legacy-1', SECRET, at)], updatedBy: 'helpdesk' };
  const { rev } = await db.insert(withNote);
  oldRevs.push(rev);

  // A second ticket with two conflicting leaves, each with a note (two devices, long ago).
  const base = { ...t, _id: LEGACY, _rev: undefined, events: t.events };
  delete base._rev;
  const { rev: r1 } = await db.insert(base);
  const [n, h] = r1.split('-');
  const leaf = (hash: string, text: string) => ({
    ...base,
    _rev: `${Number(n) + 1}-${hash}`,
    _revisions: { start: Number(n) + 1, ids: [hash, h] },
    events: [...t.events, noteEvent(`ev-${hash.slice(0, 6)}`, text, at)]
  });
  await db.bulk({ docs: [leaf('b'.repeat(32), SECRET), leaf('c'.repeat(32), SECRET_2)], new_edits: false });
  oldRevs.push(`${Number(n) + 1}-${'b'.repeat(32)}`, `${Number(n) + 1}-${'c'.repeat(32)}`);
  await writeLegacyComments(server);
  await forgetMigration(server);
}

/** As if this store had never been migrated. */
async function forgetMigration(server: TestServer) {
  const auth = server.app.couch.use(REGION_MARKER.db);
  const marker = await auth.get(REGION_MARKER.id);
  await auth.destroy(REGION_MARKER.id, marker._rev);
}

const COMMENT_TICKET = 'tkt-gym-kt-0002';
const commentEvent = (id: string, by: string, text: string, at: string) => ({ id, at, by, kind: 'comment', text });

/**
 * Comments and a photo inside a ticket, as every server stored them before: one leaf with two
 * comments and a photo, and a conflicting leaf (another device) with a comment of its own and
 * one comment both leaves share.
 */
async function writeLegacyComments(server: TestServer) {
  const db = server.app.couch.use<Record<string, unknown>>(TICKETS);
  const t = (await db.get(COMMENT_TICKET)) as unknown as Record<string, unknown> & { events: unknown[] };
  const at = new Date().toISOString();
  const shared = commentEvent('ev-shared', 'ucitel.gymkt', 'Tiskárna hlásí chybu E3.', at);
  const [n, h] = String(t._rev).split('-');
  const leaf = (hash: string, events: unknown[]) => ({
    ...t,
    _rev: `${Number(n) + 1}-${hash}`,
    _revisions: { start: Number(n) + 1, ids: [hash, h] },
    events: [...t.events, shared, ...events]
  });
  await db.bulk({
    docs: [
      leaf('d'.repeat(32), [
        commentEvent('ev-tech', 'technik.kt', 'Objednán nový válec.', at),
        { id: 'ev-photo', at, by: 'ucitel.gymkt', kind: 'attachment', mediaId: 'media-legacy', fileName: 'chyba.jpg' }
      ]),
      leaf('e'.repeat(32), [commentEvent('ev-other', 'helpdesk', 'Z druhého zařízení.', at)])
    ],
    new_edits: false
  });
}

beforeAll(async () => {
  dataDir = await demoDataDir();
  const first = await startTestServer({ dataDir });
  await writeLegacyNotes(first);
  const before = await (
    await fetch(`${first.url}/couch/${TICKETS}/${ID}`, { headers: { cookie: await login(first.url, 'ucitel.gymkt') } })
  ).text();
  // The leak as it was: the requester read the note.
  expect(before).toContain(SECRET);
  await first.close();
  s = await startTestServer({ dataDir });
}, 180_000);

afterAll(async () => {
  await s?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('on start, notes move out of tickets into the notes database', () => {
  it('the staff read every moved note, with author, time and ticket', async () => {
    const agent = client(s.url, await login(s.url, 'helpdesk'));
    const { rows } = await (await agent.get('/couch/org_gym-kt_notes/_all_docs?include_docs=true')).json();
    const moved = rows
      .map((r: { doc: Record<string, unknown> }) => r.doc)
      .filter((d: { text: string }) => d.text.startsWith('TAJNÉ'));
    expect(moved.map((d: { ticketId: string; text: string }) => `${d.ticketId}: ${d.text}`).sort()).toEqual(
      [`${ID}: ${SECRET}`, `${LEGACY}: ${SECRET}`, `${LEGACY}: ${SECRET_2}`].sort()
    );
    for (const d of moved) expect(d).toMatchObject({ createdBy: 'helpdesk', orgId: 'gym-kt' });
  });

  it('runs once: a second run reads one region-wide marker and nothing else', async () => {
    const used: string[] = [];
    const counting = new Proxy(s.app.couch, {
      get: (target, prop) =>
        prop === 'use'
          ? (db: string) => {
              used.push(db);
              return target.use(db);
            }
          : Reflect.get(target, prop)
    });
    const orgs = s.app.orgs.list().map((o) => o.id);
    expect(await migrateTicketEvents(counting, orgs)).toEqual({ tickets: 0, notes: 0, comments: 0, orgs: [] });
    expect(used).toEqual([REGION_MARKER.db]);
  });

  it('one without the mark writes no duplicate and changes no ticket', async () => {
    await forgetMigration(s);
    expect(await migrateTicketEvents(s.app.couch, ['gym-kt'])).toEqual({
      tickets: 0,
      notes: 0,
      comments: 0,
      orgs: ['gym-kt']
    });
  });
});

describe('on start, comments and photos move out of tickets into the comments database', () => {
  it('every comment of every leaf is moved once, with author, time and ticket; the photo too', async () => {
    const reader = client(s.url, await login(s.url, 'ucetni.gymkt'));
    const { rows } = await (await reader.get('/couch/org_gym-kt_comments/_all_docs?include_docs=true')).json();
    const moved = rows
      .map((r: { doc: Record<string, unknown> }) => r.doc)
      .filter((d: { ticketId: string }) => d.ticketId === COMMENT_TICKET)
      .map((d: Record<string, unknown>) => `${d.id ?? d._id} ${d.kind} ${d.createdBy} ${d.text ?? d.mediaId}`)
      .sort();
    expect(moved).toEqual(
      [
        `cmt-${COMMENT_TICKET}-ev-shared comment ucitel.gymkt Tiskárna hlásí chybu E3.`,
        `cmt-${COMMENT_TICKET}-ev-tech comment technik.kt Objednán nový válec.`,
        `cmt-${COMMENT_TICKET}-ev-photo attachment ucitel.gymkt media-legacy`,
        `cmt-${COMMENT_TICKET}-ev-other comment helpdesk Z druhého zařízení.`
      ].sort()
    );
  });

  it('both leaves go on without them, and the ticket is still the same conflict to resolve', async () => {
    const db = s.app.couch.use<Record<string, unknown>>(TICKETS);
    const doc = await db.get(COMMENT_TICKET, { conflicts: true });
    expect((doc._conflicts as string[]).length).toBe(1);
    const other = await db.get(COMMENT_TICKET, { rev: (doc._conflicts as string[])[0] });
    for (const leaf of [doc, other]) {
      const kinds = (leaf.events as { kind: string }[]).map((e) => e.kind);
      expect(kinds).not.toContain('comment');
      expect(kinds).not.toContain('attachment');
      expect(kinds).toContain('status');
    }
  });
});

describe.each(['ucitel.gymkt', 'reditel.gymkt', 'ucetni.gymkt'])('%s reads the tickets by every endpoint', (user) => {
  let c: Client;
  beforeAll(async () => {
    c = client(s.url, await login(s.url, user));
  });
  const text = async (res: Promise<Response>) => {
    const r = await res;
    return `${r.status} ${await r.text()}`;
  };
  const expectNoNote = (body: string) => {
    expect(body).not.toContain('TAJNÉ');
    expect(body).not.toMatch(/"kind":"note"/);
  };

  it('the document, with its revisions and conflicts', async () => {
    for (const id of [ID, LEGACY]) {
      expectNoNote(await text(c.get(`/couch/${TICKETS}/${id}`)));
      expectNoNote(await text(c.get(`/couch/${TICKETS}/${id}?revs=true&revs_info=true&conflicts=true`)));
      expectNoNote(await text(c.get(`/couch/${TICKETS}/${id}?open_revs=all&revs=true`)));
    }
  });

  it('the old revisions that held notes, by rev and open_revs', async () => {
    for (const rev of oldRevs) {
      const id = rev === oldRevs[0] ? ID : LEGACY;
      expectNoNote(await text(c.get(`/couch/${TICKETS}/${id}?rev=${rev}`)));
      expectNoNote(await text(c.get(`/couch/${TICKETS}/${id}?open_revs=${encodeURIComponent(JSON.stringify([rev]))}`)));
    }
  });

  it('_bulk_get of the old revisions and of the current ones', async () => {
    const docs = [
      { id: ID, rev: oldRevs[0] },
      { id: LEGACY, rev: oldRevs[1] },
      { id: LEGACY, rev: oldRevs[2] },
      { id: ID },
      { id: LEGACY }
    ];
    const body = await text(c.send('POST', `/couch/${TICKETS}/_bulk_get?revs=true`, { docs }));
    expect(body).toMatch(/^200 /);
    expectNoNote(body);
  });

  it('_all_docs and _changes with documents', async () => {
    expectNoNote(await text(c.get(`/couch/${TICKETS}/_all_docs?include_docs=true&conflicts=true`)));
    const keys = encodeURIComponent(JSON.stringify([ID, LEGACY]));
    expectNoNote(await text(c.get(`/couch/${TICKETS}/_all_docs?include_docs=true&keys=${keys}`)));
    expectNoNote(await text(c.send('POST', `/couch/${TICKETS}/_all_docs?include_docs=true`, { keys: [ID, LEGACY] })));
    expectNoNote(await text(c.get(`/couch/${TICKETS}/_changes?include_docs=true&style=all_docs&conflicts=true`)));
  });

  it('the notes database itself is closed', async () => {
    const res = await c.get('/couch/org_gym-kt_notes/_all_docs?include_docs=true');
    expect([403, 404]).toContain(res.status);
  });
});

describe('the region-wide migration marker', () => {
  const ref = () => ({ db: 'auth', id: `migration:marker-test-${Math.random().toString(36).slice(2)}` });

  it('runs only the organizations not yet done, and records only those that finished', async () => {
    const marker = ref();
    const ran: string[] = [];
    const first = await migratePendingOrgs(s.app.couch, marker, ['a', 'b', 'c'], async (org) => {
      ran.push(org);
      return org !== 'b'; // b's compaction did not finish: not final, must run again
    });
    expect(first).toEqual(['a', 'c']);
    ran.length = 0;
    const second = await migratePendingOrgs(s.app.couch, marker, ['a', 'b', 'c', 'd'], async (org) => {
      ran.push(org);
      return true;
    });
    expect(ran).toEqual(['b', 'd']);
    expect(second).toEqual(['b', 'd']);
    const stored = (await s.app.couch.use<{ done: Record<string, string> }>('auth').get(marker.id)) as {
      done: Record<string, string>;
    };
    expect(Object.keys(stored.done).sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('keeps what another instance recorded at the same time', async () => {
    const marker = ref();
    await Promise.all([
      migratePendingOrgs(s.app.couch, marker, ['x'], async () => true),
      migratePendingOrgs(s.app.couch, marker, ['y'], async () => true),
      migratePendingOrgs(s.app.couch, marker, ['z'], async () => true)
    ]);
    const stored = (await s.app.couch.use<{ done: Record<string, string> }>('auth').get(marker.id)) as {
      done: Record<string, string>;
    };
    expect(Object.keys(stored.done).sort()).toEqual(['x', 'y', 'z']);
  });

  it('a start with everything done runs nothing', async () => {
    const marker = ref();
    await migratePendingOrgs(s.app.couch, marker, ['p', 'q'], async () => true);
    let calls = 0;
    const again = await migratePendingOrgs(s.app.couch, marker, ['p', 'q'], async () => {
      calls += 1;
      return true;
    });
    expect(again).toEqual([]);
    expect(calls).toBe(0);
  });
});
