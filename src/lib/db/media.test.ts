/**
 * The device's file stores and their outbox, on a real PouchDB (LevelDB, PouchDB's Node
 * build) instead of the browser's IndexedDB one; nothing here reaches a server (the origin
 * is a closed port, so a send fails as it does offline).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { mediaDatabaseName } from './local-names';
import { createMedia, REGISTRY_KEY, type MediaApi } from './media';
import { installLocalStorage, nodePouch, pdf } from './media-test-support';
import type { DbAccess } from './push-routing';
import { exportUnsentWork, type UnsentDeps, type UnsentItem } from './unsent-work';

installLocalStorage();
const dir = mkdtempSync(path.join(os.tmpdir(), 'media-test-'));
const { Pouch, loader } = nodePouch(dir);
const CLOSED_PORT = 'http://127.0.0.1:9';

let user = '';
const opened: MediaApi[] = [];
let counter = 0;

beforeEach(() => {
  // A user of its own per test: stores and registry entries of one test never meet another's.
  user = `photographer-${++counter}`;
});

afterAll(async () => {
  await Promise.all(opened.map((m) => m.close()));
  rmSync(dir, { recursive: true, force: true });
});

const access = (...orgs: string[]): DbAccess[] => orgs.map((o) => ({ db: `org_${o}_media`, write: true }));

function media(databases: DbAccess[]): MediaApi {
  const m = createMedia(user, databases, CLOSED_PORT, loader);
  opened.push(m);
  return m;
}

const add = (m: MediaApi, org: string, name: string) =>
  m.add(org, pdf(`%PDF ${name}`), { fileName: `${name}.pdf`, createdBy: user });

/** The store of one organization's files as the next page load would open it. */
const store = (org: string) => new Pouch(mediaDatabaseName(user, org));

/** Waits until `check` holds (the start's settling runs in the background). */
async function until(check: () => Promise<boolean>, what: string) {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the outbox of files made on the device', () => {
  it('holds every file added, also many at once from two tabs', async () => {
    const a = media(access('gym-kt'));
    const b = media(access('gym-kt'));
    const ids = await Promise.all(Array.from({ length: 12 }, (_, i) => add(i % 2 ? a : b, 'gym-kt', `scan-${i}`)));
    const listed = (await media(access('gym-kt')).unsent()).map((u) => u.id);
    expect(listed.sort()).toEqual([...ids].sort());
  });

  it('writes a file and its entry together: no file is stored without being listed', async () => {
    const m = media(access('gym-kt'));
    const db = store('gym-kt');
    // The moment the file is stored (what a page closed right then would keep), the outbox is read.
    // From the store's position taken before the write: `since: 'now'` is resolved later, and
    // on a loaded machine after the write, whose change the feed then never sees.
    const since = (await db.info()).update_seq;
    const atStore = new Promise<Record<string, unknown>>((resolve) => {
      const feed = db.changes({ live: true, since }).on('change', () => {
        feed.cancel();
        resolve(
          db.get('_local/outbox').then(
            (o) => (o as unknown as { items: Record<string, unknown> }).items,
            () => ({})
          )
        );
      });
    });
    const id = await add(m, 'gym-kt', 'invoice');
    expect(await atStore).toHaveProperty(id);
    await db.close();
  });
});

describe('access withdrawn while the app was closed', () => {
  it('removes the files of others at the next start and keeps the unsent ones as refused', async () => {
    const before = media(access('gym-kt', 'muzeum-ro'));
    const mine = await add(before, 'muzeum-ro', 'receipt');
    await add(before, 'gym-kt', 'other');
    // A colleague's photo this device had shown: replicated, not in the outbox.
    const held = store('muzeum-ro');
    await held.bulkDocs([{ _id: 'm-colleague', _rev: '1-abc', orgId: 'muzeum-ro', fileName: 'x.jpg' } as never], {
      new_edits: false
    });
    await held.close();
    await before.close();

    const after = media(access('gym-kt'));
    after.start();
    await until(async () => (await after.unsent()).some((u) => u.id === mine && u.refused), 'the refusal');
    const list = await after.unsent();
    expect(list.find((u) => u.id === mine)?.refused).toMatch(/Access to org_muzeum-ro_media was withdrawn/);
    expect(list.filter((u) => u.orgId === 'gym-kt')).toHaveLength(1);
    const left = store('muzeum-ro');
    expect((await left.allDocs()).rows.map((r) => r.id)).toEqual([mine]);
    expect(await (await left.getAttachment(mine, 'file')).toString()).toBe('%PDF receipt');
    await left.close();
  });

  it('keeps the unsent files when the start and the server tell of the same withdrawal at once', async () => {
    const before = media(access('gym-kt', 'muzeum-ro'));
    const mine = [await add(before, 'muzeum-ro', 'one'), await add(before, 'muzeum-ro', 'two')];
    await before.close();
    // Opened from the access list cached before the withdrawal; the server's arrives meanwhile.
    const after = media(access('gym-kt', 'muzeum-ro'));
    after.start();
    await after.updateAccess(access('gym-kt'));
    await until(async () => (await after.unsent()).filter((u) => u.refused).length === 2, 'both refusals');
    expect((await after.unsent()).filter((u) => mine.includes(u.id))).toHaveLength(2);
    const left = store('muzeum-ro');
    expect((await left.allDocs()).rows.map((r) => r.id).sort()).toEqual([...mine].sort());
  });

  it('sends again the files refused for the withdrawal once access is back', async () => {
    const first = media(access('muzeum-ro'));
    const id = await add(first, 'muzeum-ro', 'receipt');
    await first.updateAccess([]);
    expect((await first.unsent())[0]).toMatchObject({ id, refused: expect.stringMatching(/withdrawn/) });
    await first.updateAccess(access('muzeum-ro'));
    expect((await first.unsent())[0]).toEqual(expect.not.objectContaining({ refused: expect.anything() }));

    // The same when access came back while the app was closed.
    await first.updateAccess([]);
    await first.close();
    const later = media(access('muzeum-ro'));
    later.start();
    await until(async () => !(await later.unsent())[0]?.refused, 'the refusal to be lifted');
    expect((await later.unsent()).map((u) => u.id)).toEqual([id]);
  });

  it('forgets a store only once: a later start leaves the kept files as they are', async () => {
    const first = media(access('muzeum-ro'));
    const id = await add(first, 'muzeum-ro', 'receipt');
    await first.updateAccess([]);
    const revBefore = (await store('muzeum-ro').get(id))._rev;
    await first.close();
    const later = media([]);
    later.start();
    await new Promise((r) => setTimeout(r, 300));
    const db = store('muzeum-ro');
    expect((await db.get(id))._rev).toBe(revBefore);
    expect((await later.unsent())[0]).toMatchObject({ id, refused: expect.stringMatching(/withdrawn/) });
    await db.close();
  });

  it('finishes a replacement cut short by a closed page: the kept files come back', async () => {
    // The state a page closed between destroying the store and writing its files back leaves:
    // the files in the holding store only, listed for the sign-out.
    const name = mediaDatabaseName(user, 'muzeum-ro');
    const holding = new Pouch(`${name}~kept`);
    await holding.bulkDocs(
      [
        {
          _id: 'm-kept',
          _rev: '1-def',
          orgId: 'muzeum-ro',
          createdBy: user,
          createdAt: '2026-12-01T10:00:00.000Z',
          updatedBy: user,
          updatedAt: '2026-12-01T10:00:00.000Z',
          fileName: 'kept.pdf',
          contentType: 'application/pdf',
          _attachments: { file: { content_type: 'application/pdf', data: Buffer.from('%PDF kept').toString('base64') } }
        } as never
      ],
      { new_edits: false }
    );
    await holding.put({
      _id: '_local/outbox',
      items: { 'm-kept': { refused: 'withdrawn', withdrawn: true } }
    } as never);
    await holding.close();
    localStorage.setItem(REGISTRY_KEY, JSON.stringify([`${name}~kept`]));

    const m = media([]);
    m.start();
    await until(async () => (await m.unsent()).some((u) => u.id === 'm-kept'), 'the kept file');
    expect(await m.unsent()).toEqual([
      expect.objectContaining({ id: 'm-kept', orgId: 'muzeum-ro', refused: 'withdrawn' })
    ]);
    expect(JSON.parse(localStorage.getItem(REGISTRY_KEY) ?? '[]')).toEqual([name]);
  });
});

describe('a store of a withdrawn database with nothing to keep', () => {
  it('leaves the device and the list of stores at the next start', async () => {
    const first = media(access('gym-kt', 'muzeum-ro'));
    const held = store('muzeum-ro');
    await held.bulkDocs([{ _id: 'm-colleague', _rev: '1-abc', orgId: 'muzeum-ro', fileName: 'x.jpg' } as never], {
      new_edits: false
    });
    // Shown on this device once: the store is listed for the sign-out.
    await first.blob('muzeum-ro', 'm-colleague').catch(() => undefined);
    const name = mediaDatabaseName(user, 'muzeum-ro');
    expect(JSON.parse(localStorage.getItem(REGISTRY_KEY) ?? '[]')).toContain(name);
    await first.close();
    const later = media(access('gym-kt'));
    later.start();
    await until(
      async () => !(JSON.parse(localStorage.getItem(REGISTRY_KEY) ?? '[]') as string[]).includes(name),
      'the store to go'
    );
    expect((await store('muzeum-ro').allDocs()).rows).toEqual([]);
  });
});

describe('the copy of unsent work before a wipe', () => {
  it('holds the files it can read and names those it cannot', async () => {
    const m = media(access('gym-kt'));
    const kept = await add(m, 'gym-kt', 'readable');
    const lost = await add(m, 'gym-kt', 'damaged');
    // A file whose content the device no longer holds.
    const db = store('gym-kt');
    // (Not closed here: PouchDB's Node build shares one store between the handles of a name.)
    await db.removeAttachment(lost, 'file', (await db.get(lost))._rev);
    const items: UnsentItem[] = (await m.unsent()).map((u) => ({
      kind: 'file',
      collection: 'media',
      id: u.id,
      orgId: u.orgId,
      label: u.fileName,
      doc: { ...u }
    }));
    // PouchDB's Node build gives a Buffer where the browser's gives a Blob.
    const deps = {
      media: { unsent: m.unsent, blob: async (o: string, id: string) => new Blob([await m.blob(o, id)]) }
    } as unknown as UnsentDeps;
    const made = await exportUnsentWork(deps, items, user);
    expect(made.unreadable).toEqual(['damaged.pdf']);
    const body = JSON.parse(await made.file.text()) as { items: { id: string; file?: string; fileError?: string }[] };
    const byId = new Map(body.items.map((i) => [i.id, i]));
    expect(Buffer.from(byId.get(kept)!.file!.split(',')[1], 'base64').toString()).toBe('%PDF readable');
    expect(byId.get(lost)).toMatchObject({ fileError: expect.stringMatching(/could not be read/) });
    expect(byId.get(lost)!.file).toBeUndefined();
  });
});
