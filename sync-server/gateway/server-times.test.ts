/**
 * Time that decides belongs to the server, through the real gateway: every new event gets a
 * receipt time the client cannot set or remove (not even by replication), the lifecycle and
 * the SLA order events by it, device times that cannot be honest are refused, and honest
 * offline work is not.
 */
import nano from 'nano';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../src/lib/domain/access';
import { CLOCK_TOLERANCE_MS } from '../../src/lib/domain/receipt-time';
import type { Ticket } from '../../src/lib/domain/schemas';
import { computeSla } from '../../src/lib/domain/sla/clock';
import { addEvent } from '../../src/lib/domain/tickets/build';
import { login, startTestServer, type TestServer } from '../testing/server';
import { client, validDoc, type Client } from './test-support';

let s: TestServer;
let teacher: Client;
let tech: Client;
let helpdesk: Client;
let admin: Client;
const DB = 'org_gym-kt_tickets';
const MEDIA = 'org_gym-kt_media';
const HOUR = 3_600_000;
const user = (id: string): SessionUser => ({ id, name: id, memberships: [] });
type Stored = Ticket & { _id: string; _rev: string };

beforeAll(async () => {
  s = await startTestServer();
  teacher = client(s.url, await login(s.url, 'ucitel.gymkt'));
  tech = client(s.url, await login(s.url, 'technik.kt'));
  helpdesk = client(s.url, await login(s.url, 'helpdesk'));
  admin = client(s.url, await login(s.url, 'admin'));
}, 120_000);
afterAll(async () => s?.close());

/** The stored version (CouchDB keeps the primary key as `_id` only; `id` is added for the domain functions). */
async function stored(id: string, db = DB): Promise<Stored> {
  const doc = (await nano(s.couchUrl).use(db).get(id)) as unknown as Stored;
  return { ...doc, id: doc._id };
}

/**
 * A printer ticket of the teacher, routed by the server to the district contractor. Written
 * on a device two days ago and sent now (offline work), so events dated since then are honest.
 */
async function routedTicket(): Promise<Stored> {
  const written = new Date(Date.now() - 48 * HOUR).toISOString();
  const doc = validDoc(DB, 'ucitel.gymkt', { category: 'cat-printer', createdAt: written, updatedAt: written });
  expect((await teacher.bulkDocs(DB, [doc])).body[0]).toMatchObject({ ok: true });
  return stored(String(doc._id));
}

/** Writes `t` with one more event by `by`, made at device time `at`. */
async function withEvent(c: Client, t: Stored, by: string, input: Parameters<typeof addEvent>[1], at: Date) {
  const next = addEvent(t, input, user(by), at) as Stored;
  const res = await c.bulkDocs(DB, [{ ...next, _id: t.id, _rev: t._rev }]);
  const known = new Set(t.events.map((e) => e.id));
  return { row: res.body[0], doc: next, eventId: next.events.find((e) => !known.has(e.id))!.id };
}

const eventOf = (t: Ticket, id: string) => t.events.find((e) => e.id === id)!;

describe('every new event gets the server receipt time', () => {
  it('stamps new events, keeps the device time, and carries stored receipt times over whatever a client sends', async () => {
    const t = await routedTicket();
    expect(t.events[0].receivedAt).toBe(t.receivedAt);
    const deviceTime = new Date(Date.now() - 2 * HOUR);
    const { row, eventId } = await withEvent(tech, t, 'technik.kt', { kind: 'status', to: 'in_progress' }, deviceTime);
    expect(row).toMatchObject({ ok: true });
    const after = await stored(t.id);
    const added = eventOf(after, eventId);
    expect(added.at).toBe(deviceTime.toISOString());
    expect(Date.parse(added.receivedAt!)).toBeGreaterThan(deviceTime.getTime() + HOUR);

    // A client that rewrites or drops the receipt times changes nothing of them.
    const forged = {
      ...after,
      description: 'upřesnění',
      updatedBy: 'technik.kt',
      updatedAt: new Date().toISOString(),
      events: after.events.map((e, i) =>
        i === 0 ? { ...e, receivedAt: '2000-01-01T00:00:00.000Z' } : { ...e, receivedAt: undefined }
      )
    };
    const res = await helpdesk.bulkDocs(DB, [{ ...forged, updatedBy: 'helpdesk', _id: t.id }]);
    expect(res.body[0]).toMatchObject({ ok: true });
    const again = await stored(t.id);
    expect(again.description).toBe('upřesnění');
    expect(again.events.map((e) => e.receivedAt)).toEqual(after.events.map((e) => e.receivedAt));
    expect(again.receivedAt).toBe(t.receivedAt);
  });

  it('accepts offline work dated hours before the last accepted event, and orders it by receipt', async () => {
    const t = await routedTicket();
    const start = await withEvent(tech, t, 'technik.kt', { kind: 'status', to: 'in_progress' }, new Date());
    expect(start.row).toMatchObject({ ok: true });
    const working = await stored(t.id);
    // Written on a device offline since three hours before the start was accepted.
    const offline = new Date(Date.now() - 3 * HOUR);
    const note = await withEvent(
      tech,
      working,
      'technik.kt',
      { kind: 'status', to: 'waiting', text: 'Čeká se na toner.' },
      offline
    );
    expect(note.row).toMatchObject({ ok: true });
    const after = await stored(t.id);
    const comment = eventOf(after, note.eventId);
    expect(comment.at).toBe(offline.toISOString());
    // In the order that decides, it comes after the start the server accepted before it.
    expect(comment.receivedAt! > eventOf(after, start.eventId).receivedAt!).toBe(true);
  });

  it('refuses a back-dated pause inserted after the ticket was resolved', async () => {
    const t = await routedTicket();
    const minute = (n: number) => new Date(Date.now() + n * 60_000);
    await withEvent(tech, t, 'technik.kt', { kind: 'status', to: 'in_progress' }, minute(1));
    const working = await stored(t.id);
    const resolve = { kind: 'status', to: 'resolved', text: 'Opraveno.' } as const;
    expect((await withEvent(tech, working, 'technik.kt', resolve, minute(3))).row).toMatchObject({ ok: true });
    const done = await stored(t.id);
    // Dated between the start and the resolution, as if the wait had happened then: by device
    // times it would fit (in progress → waiting → resolved); by receipt it follows the resolution.
    const pause = await withEvent(tech, done, 'technik.kt', { kind: 'status', to: 'waiting' }, minute(2));
    expect(pause.row).toMatchObject({ error: 'forbidden', reason: expect.stringMatching(/from resolved to waiting/) });
    expect((await stored(t.id))._rev).toBe(done._rev);
  });

  it("re-derives a ticket's status in the server's order when offline work arrives after newer events", async () => {
    const t = await routedTicket();
    await withEvent(helpdesk, t, 'helpdesk', { kind: 'status', to: 'in_progress' }, new Date());
    const working = await stored(t.id);
    await withEvent(helpdesk, working, 'helpdesk', { kind: 'status', to: 'waiting' }, new Date());
    const waiting = await stored(t.id);
    // Resolved on a device offline since before the wait; merged there, its own order puts the
    // resolution first and the wait last, so it sends `waiting`.
    const offline = new Date(Date.now() - HOUR);
    const merged = addEvent(waiting, { kind: 'status', to: 'resolved', text: 'Hotovo.' }, user('helpdesk'), offline);
    expect(merged.status).toBe('waiting');
    const res = await helpdesk.bulkDocs(DB, [{ ...merged, _id: t.id, _rev: waiting._rev }]);
    expect(res.body[0]).toMatchObject({ ok: true });
    expect((await stored(t.id)).status).toBe('resolved');
  });

  it('counts a back-dated pause from when the server received it', async () => {
    const t = await routedTicket();
    await withEvent(tech, t, 'technik.kt', { kind: 'status', to: 'in_progress' }, new Date());
    const working = await stored(t.id);
    const yesterday = new Date(Date.now() - 24 * HOUR);
    const pause = await withEvent(tech, working, 'technik.kt', { kind: 'status', to: 'waiting' }, yesterday);
    expect(pause.row).toMatchObject({ ok: true });
    const paused = await stored(t.id);
    const wait = eventOf(paused, pause.eventId);
    expect(wait.at).toBe(yesterday.toISOString());
    const sla = computeSla(paused, { responseMinutes: 60, resolutionMinutes: 600, calendar: '24x7' }, new Date());
    // Time ran from the ticket's receipt until the server received the pause, not until "yesterday".
    expect(sla.elapsedResolution * 60_000).toBeCloseTo(Date.parse(wait.receivedAt!) - Date.parse(t.receivedAt!), -2);
    expect(sla.state).toBe('paused');
  });

  it('refuses events, edit times and new documents dated in the future beyond the tolerance', async () => {
    const t = await routedTicket();
    const future = new Date(Date.now() + CLOCK_TOLERANCE_MS + 10 * 60_000);
    const event = await withEvent(tech, t, 'technik.kt', { kind: 'status', to: 'in_progress' }, future);
    expect(event.row).toMatchObject({
      error: 'forbidden',
      reason: expect.stringMatching(/ahead of the server's clock/)
    });
    const in2099 = addEvent(t, { kind: 'status', to: 'in_progress' }, user('technik.kt'), new Date());
    in2099.events.at(-1)!.at = '2099-01-01T00:00:00.000Z';
    const far = await tech.bulkDocs(DB, [{ ...in2099, _id: t.id, _rev: t._rev }]);
    expect(far.body[0]).toMatchObject({ error: 'forbidden', reason: expect.stringMatching(/ahead/) });
    const fastEdit = { ...t, description: 'rychlé hodiny', updatedBy: 'helpdesk', updatedAt: future.toISOString() };
    expect((await helpdesk.bulkDocs(DB, [{ ...fastEdit, _id: t.id }])).body[0]).toMatchObject({ error: 'forbidden' });
    const fastField = {
      ...t,
      description: 'rychlé hodiny',
      updatedBy: 'helpdesk',
      updatedAt: new Date().toISOString(),
      fieldTimes: { description: future.toISOString() }
    };
    const fieldRes = await helpdesk.bulkDocs(DB, [{ ...fastField, _id: t.id }]);
    expect(fieldRes.body[0]).toMatchObject({
      error: 'forbidden',
      reason: expect.stringMatching(/fieldTimes\.description/)
    });
    const newDoc = validDoc(DB, 'ucitel.gymkt', { createdAt: future.toISOString(), updatedAt: future.toISOString() });
    expect((await teacher.bulkDocs(DB, [newDoc])).body[0]).toMatchObject({ error: 'forbidden' });
    expect((await stored(t.id))._rev).toBe(t._rev);
  });

  it('accepts device times within the tolerance, and refuses events dated before the ticket was created', async () => {
    const t = await routedTicket();
    const slightlyFast = new Date(Date.now() + CLOCK_TOLERANCE_MS / 2);
    expect(
      (await withEvent(tech, t, 'technik.kt', { kind: 'status', to: 'in_progress' }, slightlyFast)).row
    ).toMatchObject({ ok: true });
    const now = await stored(t.id);
    const before = new Date(Date.parse(t.createdAt) - CLOCK_TOLERANCE_MS - 60_000);
    const old = await withEvent(tech, now, 'technik.kt', { kind: 'status', to: 'waiting', text: 'Staré.' }, before);
    expect(old.row).toMatchObject({
      error: 'forbidden',
      reason: expect.stringMatching(/before the record was created/)
    });
  });
});

describe('replicated revisions (new_edits:false) cannot bypass the checks', () => {
  it('are refused outside media databases for everyone but an administrator importing history', async () => {
    const t = await routedTicket();
    const hash = '00112233445566778899aabbccddeeff';
    const { receivedAt: _gone, ...copy } = t;
    void _gone;
    const next = { ...copy, _rev: `9-${hash}`, _revisions: { start: 9, ids: [hash, t._rev.slice(2)] } };
    const res = await tech.bulkDocs(DB, [{ ...next, updatedBy: 'technik.kt' }], false);
    expect(res.body).toEqual([
      { id: t.id, error: 'forbidden', reason: expect.stringMatching(/only in media databases/) }
    ]);
    expect((await stored(t.id))._rev).toBe(t._rev);
  });

  it('are checked like an ordinary write even for an administrator: current revision, server fields, rules', async () => {
    const t = await routedTicket();
    const hash = '00112233445566778899aabbccddee01';
    const child = (extra: Record<string, unknown>, parent = t._rev) => ({
      ...t,
      updatedBy: 'admin',
      _rev: `${Number(parent.split('-')[0]) + 1}-${hash}`,
      _revisions: { start: Number(parent.split('-')[0]) + 1, ids: [hash, parent.slice(2)] },
      ...extra
    });
    const noReceipt = child({ receivedAt: undefined });
    const branch = child({}, `1-${'ab'.repeat(16)}`);
    const eventReceipt = child({
      events: t.events.map((e) => ({ ...e, receivedAt: '2000-01-01T00:00:00.000Z' }))
    });
    const otherWriter = child({ updatedBy: 'helpdesk' });
    const res = await admin.bulkDocs(DB, [noReceipt, branch, eventReceipt, otherWriter], false);
    expect(res.body).toEqual([
      { id: t.id, error: 'forbidden', reason: expect.stringMatching(/receivedAt is set by the server/) },
      { id: t.id, error: 'forbidden', reason: expect.stringMatching(/does not extend the server's current version/) },
      { id: t.id, error: 'forbidden', reason: expect.stringMatching(/receivedAt is set by the server/) },
      { id: t.id, error: 'forbidden', reason: expect.stringMatching(/updatedBy must be admin/) }
    ]);
    expect((await stored(t.id))._rev).toBe(t._rev);
  });

  it('in a media database must extend the current revision and keep its receivedAt', async () => {
    const doc = validDoc(MEDIA, 'ucitel.gymkt');
    const put = await teacher.send('PUT', `/couch/${MEDIA}/${String(doc._id)}`, doc);
    expect(put.status).toBe(201);
    const first = await stored(String(doc._id), MEDIA);
    expect(first.receivedAt).toBeDefined();
    const hash = 'aabbccddeeff00112233445566778899';
    const { receivedAt: _r, ...plain } = first;
    void _r;
    const stripped = { ...plain, _rev: `2-${hash}`, _revisions: { start: 2, ids: [hash, first._rev.slice(2)] } };
    const forkedHash = 'aabbccddeeff00112233445566778800';
    const forked = { ...first, _rev: `5-${forkedHash}`, _revisions: { start: 5, ids: [forkedHash, 'ff'.repeat(16)] } };
    const res = await teacher.bulkDocs(MEDIA, [stripped, forked], false);
    expect(res.body).toEqual([
      { id: doc._id, error: 'forbidden', reason: expect.stringMatching(/receivedAt is set by the server/) },
      { id: doc._id, error: 'forbidden', reason: expect.stringMatching(/does not extend/) }
    ]);
    const kept = { ...first, fileName: 'jiny.jpg', _rev: `2-${hash}`, _revisions: stripped._revisions };
    expect((await teacher.bulkDocs(MEDIA, [kept], false)).body).toEqual([]);
    expect((await stored(String(doc._id), MEDIA)).receivedAt).toBe(first.receivedAt);
  });
});
