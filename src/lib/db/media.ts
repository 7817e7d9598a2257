/**
 * Photos and scanned documents: attachments (`file`) of documents in each organization's
 * `media` database, replicated by PouchDB with CouchDB's own protocol through the gateway
 * (`/couch/org_<org>_media`). Sync is one-shot (on demand, after a local add, and when the
 * event stream names a media database), never live: live PouchDB replication would hold a
 * long-poll per organization. A file is downscaled on the device before it is stored.
 * A document the gateway refuses stays in the local database and is reported, the rest of
 * the replication continues (PouchDB reports it as `denied` and goes on).
 * Files of others come to the device when first shown (`url`), then follow changes of their
 * organization's media database: an agent serving 140 organizations must not download every
 * photo of the region up front.
 *
 * Nothing made on the device is forgotten: every file added goes into an outbox (a `_local`
 * document of its local database, so it survives reloads and is never replicated) and leaves
 * it only once the server holds that very revision. The outbox is sent when the data layer
 * starts, when the network returns and every minute while it is not empty; it is counted as
 * unsent work, and a file the server refused stays in it with the server's reason.
 *
 * PouchDB (about 40 KB gzip) loads the first time a media database is opened: a device that
 * holds no files and shows none never loads it, and the first page stays small.
 */
import type PouchDBType from 'pouchdb-browser';
import { isMediaCollection, parseDbName } from '../domain/databases';
import { KeyedQueue } from '../domain/keyed-queue';
import { MAX_ATTACHMENT_BYTES, MEDIA_TYPES } from '../domain/schemas';
import { SESSION_USER_HEADER } from '../domain/sync-protocol';
import { prepareForUpload } from './image-downscale';
import { mediaDatabaseName } from './local-names';
import type { DbAccess } from './push-routing';

export interface MediaDoc {
  _id: string;
  _rev?: string;
  orgId: string;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
  fileName: string;
  contentType: string;
  ref?: string;
  width?: number;
  height?: number;
}

export interface MediaSyncReport {
  db: string;
  pulled: number;
  pushed: number;
  denied: { id: string; reason: string }[];
  error?: string;
}

/**
 * Which of an organization's file databases: `media` (photos, invoice scans) or `contractscans`
 * (contract scans, read only by the contracts' readers). Each is its own local PouchDB.
 */
export type MediaSpace = 'media' | 'contractscans';

/** Local store key: the organization, with the space unless it is `media` (`gym-kt`, `gym-kt.contractscans`). */
const storeKey = (orgId: string, space: MediaSpace = 'media') => (space === 'media' ? orgId : `${orgId}.${space}`);
const parseKey = (key: string): { orgId: string; space: MediaSpace } => {
  const [orgId, space] = key.split('.');
  return { orgId, space: (space as MediaSpace | undefined) ?? 'media' };
};
const dbOfKey = (key: string) => {
  const { orgId, space } = parseKey(key);
  return `org_${orgId}_${space}`;
};

/** A file made on this device that the server does not hold yet. */
export interface UnsentMedia {
  orgId: string;
  /** Set when the file is not in the organization's `media` database. */
  space?: MediaSpace;
  id: string;
  fileName: string;
  contentType: string;
  createdAt: string;
  ref?: string;
  /** The server's reason, when it refused the file (it is not retried until changed). */
  refused?: string;
}

interface Outbox {
  _id: '_local/outbox';
  _rev?: string;
  /** `withdrawn`: refused because the person's access to the database ended; tried again once it is back. */
  items: Record<string, { refused?: string; withdrawn?: true }>;
}
const OUTBOX_ID = '_local/outbox';

export interface MediaApi {
  /** Stores a file (downscaled if it is a photo) and returns its id; pushes it when online. */
  add(
    orgId: string,
    file: Blob,
    meta: { fileName: string; ref?: string; createdBy: string },
    space?: MediaSpace
  ): Promise<string>;
  /** An object URL of the file, fetching it from the server if it is not on the device yet. */
  url(orgId: string, id: string, space?: MediaSpace): Promise<string>;
  /** One-shot two-way sync of the given media databases (all readable ones when omitted). */
  syncNow(dbs?: string[]): Promise<MediaSyncReport[]>;
  /** Files made on this device not yet on the server (refused ones included), of every organization. */
  unsent(): Promise<UnsentMedia[]>;
  /** The file itself, for an export before the device is wiped. */
  blob(orgId: string, id: string, space?: MediaSpace): Promise<Blob>;
  /** Gives up a refused file: removes it from the device. */
  discard(orgId: string, id: string, space?: MediaSpace): Promise<void>;
  /**
   * Sends a refused file again, once what refused it may have changed (the device's clock
   * corrected, a role granted). Its device times still ahead of this device's clock are set to
   * now: a phone whose clock ran ahead stamped the file in the future, which the server refuses.
   */
  retry(orgId: string, id: string, space?: MediaSpace): Promise<void>;
  /** Sends the outbox now and every minute while online; reports the unsent count as it changes. */
  start(onUnsent?: (list: UnsentMedia[]) => void): void;
  /**
   * The user's databases changed: new media databases are used from now on; the files of a
   * withdrawn one leave the device, except those made here and never sent, which stay as
   * refused (with the reason) for the person to export or discard.
   */
  updateAccess(databases: readonly DbAccess[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * Copies the given documents from the server with their revision history (so later
 * replication continues from them) — without `_changes?filter=_doc_ids`, which the gateway
 * does not forward.
 */
async function fetchDocs(
  local: PouchDB.Database<MediaDoc>,
  target: PouchDB.Database<MediaDoc>,
  ids: string[]
): Promise<number> {
  const [theirs, ours] = await Promise.all([target.allDocs({ keys: ids }), local.allDocs({ keys: ids })]);
  const ourRev = new Map(
    ours.rows.map((r) => ['value' in r && r.value ? r.value.rev : '', r.key]).map(([rev, key]) => [key, rev])
  );
  const stale = theirs.rows
    .filter((r) => 'value' in r && r.value && !r.value.deleted && r.value.rev !== ourRev.get(r.key))
    .map((r) => r.key);
  let written = 0;
  for (const id of stale) {
    const doc = await target.get(id, { revs: true, attachments: true, binary: true });
    await local.bulkDocs([doc], { new_edits: false });
    written++;
  }
  return written;
}

export const REGISTRY_KEY = 'ict-media-dbs';

/** The local media database names this device has made (of every user), for the sign-out. */
export function registeredNames(): string[] {
  if (typeof localStorage === 'undefined') return [];
  return JSON.parse(localStorage.getItem(REGISTRY_KEY) ?? '[]') as string[];
}

/** Remembers local media database names so that sign-out can remove them. */
function remember(name: string) {
  const known = registeredNames();
  if (typeof localStorage === 'undefined' || known.includes(name)) return;
  localStorage.setItem(REGISTRY_KEY, JSON.stringify([...known, name]));
}

function forgetName(name: string) {
  if (typeof localStorage === 'undefined') return;
  localStorage.setItem(REGISTRY_KEY, JSON.stringify(registeredNames().filter((n) => n !== name)));
}

const online = () => typeof navigator === 'undefined' || navigator.onLine;

function newId(): string {
  const rand = crypto.getRandomValues(new Uint32Array(2));
  return `m-${Date.now().toString(36)}-${rand[0].toString(36)}${rand[1].toString(36)}`;
}

async function readOutbox(db: PouchDB.Database<MediaDoc>): Promise<Outbox> {
  try {
    return (await db.get(OUTBOX_ID)) as unknown as Outbox;
  } catch {
    return { _id: OUTBOX_ID, items: {} };
  }
}

/**
 * Races lost to other tabs' updates of one outbox before giving up: each retry reads the
 * outbox again, and a tab holds it for one read and one write.
 */
const OUTBOX_ATTEMPTS = 12;

const isConflict = (err: unknown) => (err as { status?: number } | null)?.status === 409;

/**
 * Changes the outbox, retrying a lost race with another tab's update. It fails rather than
 * give up quietly: a file missing from the outbox is sent by nobody and missing from the list
 * the sign-out warns about. Called in the store's outbox turn (`updateOutbox`).
 */
async function changeOutbox(db: PouchDB.Database<MediaDoc>, change: (items: Outbox['items']) => void): Promise<void> {
  for (let attempt = 0; attempt < OUTBOX_ATTEMPTS; attempt++) {
    const box = await readOutbox(db);
    change(box.items);
    try {
      await db.put(box as never);
      return;
    } catch (err) {
      if (!isConflict(err)) throw err;
    }
    await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 20 * (attempt + 1)));
  }
  throw new Error(
    'The list of files waiting to be sent could not be updated (another tab kept changing it); try again.'
  );
}

/** A PouchDB constructor: the browser's (IndexedDB), or another for a test outside the browser. */
export type PouchLoader = () => Promise<typeof PouchDBType>;

let pouchModule: Promise<typeof PouchDBType> | null = null;
const loadBrowserPouch: PouchLoader = () => (pouchModule ??= import('pouchdb-browser').then((m) => m.default));

/** A store's files held while the store itself is replaced (`forgetStore`); no organization key holds `~`. */
const HOLDING = '~kept';

export function createMedia(
  userId: string,
  databases: readonly DbAccess[],
  origin = '',
  loadPouch: PouchLoader = loadBrowserPouch
): MediaApi {
  /** This tab's changes of each outbox (by store name), one after another: a race is then only with another tab. */
  const outboxTurns = new KeyedQueue();
  const updateOutbox = (db: PouchDB.Database<MediaDoc>, change: (items: Outbox['items']) => void) =>
    outboxTurns.run(db.name, () => changeOutbox(db, change));
  const mediaOf = (list: readonly DbAccess[]) =>
    list.filter((d) => isMediaCollection(parseDbName(d.db)?.collection ?? ''));
  let mediaDbs = mediaOf(databases);
  const locals = new Map<string, Promise<PouchDB.Database<MediaDoc>>>();
  const urls = new Map<string, string>();
  const base = origin || (typeof location !== 'undefined' ? location.origin : '');

  const local = (key: string) => {
    let db = locals.get(key);
    if (!db) {
      const name = mediaDatabaseName(userId, key);
      remember(name);
      db = loadPouch().then((PouchDB) => new PouchDB<MediaDoc>(name, { auto_compaction: true }));
      locals.set(key, db);
    }
    return db;
  };
  const remote = async (dbName: string) => {
    const PouchDB = await loadPouch();
    return new PouchDB<MediaDoc>(`${base}/couch/${dbName}`, {
      skip_setup: true,
      // The store's user named as in every other sync request: with another person's session
      // in the cookie (signed in in another tab) the server refuses before a file moves.
      fetch: (url: string | Request, opts?: RequestInit) => {
        const headers = new Headers(opts?.headers);
        headers.set(SESSION_USER_HEADER, encodeURIComponent(userId));
        return PouchDB.fetch(url, { ...opts, headers, credentials: 'same-origin' });
      }
    } as PouchDB.Configuration.RemoteDatabaseConfiguration);
  };
  const hasLocal = (dbName: string) => {
    const key = keyOf(dbName);
    return !!key && registeredNames().includes(mediaDatabaseName(userId, key));
  };
  /** The local store key of a file database. */
  const keyOf = (dbName: string) => {
    const ref = parseDbName(dbName);
    return ref?.kind === 'org' && isMediaCollection(ref.collection)
      ? storeKey(ref.orgId, ref.collection as MediaSpace)
      : null;
  };

  /** Store keys (organization and space) this user has a local media database of (also from earlier page loads). */
  const knownKeys = (): string[] => {
    const prefix = mediaDatabaseName(userId, '');
    const keys = registeredNames()
      .filter((n) => n.startsWith(prefix))
      .map((n) => n.slice(prefix.length))
      .filter((k) => !k.endsWith(HOLDING));
    return [...new Set([...locals.keys(), ...keys])];
  };
  /** Keys of stores whose replacement did not finish (the page closed in between): their files wait in a holding store. */
  const heldKeys = (): string[] => {
    const prefix = mediaDatabaseName(userId, '');
    return registeredNames()
      .filter((n) => n.startsWith(prefix) && n.endsWith(HOLDING))
      .map((n) => n.slice(prefix.length, -HOLDING.length));
  };

  /** Takes out of the outbox what the server now holds at the local revision; records refusals. */
  async function settleOutbox(key: string, target: PouchDB.Database<MediaDoc>, denied: MediaSyncReport['denied']) {
    const db = await local(key);
    const ids = Object.keys((await readOutbox(db)).items);
    if (!ids.length) return;
    const [mine, theirs] = await Promise.all([db.allDocs({ keys: ids }), target.allDocs({ keys: ids })]);
    const rev = (rows: typeof mine.rows, id: string) => {
      const row = rows.find((r) => r.key === id);
      return row && 'value' in row && row.value && !row.value.deleted ? row.value.rev : undefined;
    };
    const refusedNow = new Map(denied.map((d) => [d.id, d.reason]));
    await updateOutbox(db, (items) => {
      for (const id of ids) {
        const localRev = rev(mine.rows, id);
        if (!localRev || localRev === rev(theirs.rows, id)) delete items[id];
        else if (refusedNow.has(id) && items[id]) items[id].refused = refusedNow.get(id);
      }
    });
  }

  async function syncOne(access: DbAccess): Promise<MediaSyncReport> {
    const key = keyOf(access.db)!;
    const report: MediaSyncReport = { db: access.db, pulled: 0, pushed: 0, denied: [] };
    let target: PouchDB.Database<MediaDoc> | null = null;
    try {
      target = await remote(access.db);
      const db = await local(key);
      // Refresh only the files this device already holds (newer versions, deletions).
      const held = (await db.allDocs()).rows.map((r) => r.id);
      if (held.length) report.pulled = await fetchDocs(db, target, held);
      if (access.write) {
        // One file per request: a file may hold 10 MB (13.4 MB as base64), the server takes 14 MB
        // per request, and a batch of two scans answered 413 as a whole, again at every try, with
        // every later file of the organization queued behind it.
        const up = db.replicate.to(target, { batch_size: 1 }).on('denied', (err: unknown) => {
          const e = err as { id?: string; reason?: string; message?: string };
          report.denied.push({ id: e.id ?? '?', reason: e.reason ?? e.message ?? 'refused' });
        });
        const done = await up;
        report.pushed = done.docs_written;
        await settleOutbox(key, target, report.denied);
      }
    } catch (err) {
      report.error = (err as Error).message ?? String(err);
    } finally {
      await target?.close().catch(() => undefined);
    }
    return report;
  }

  let listener: ((list: UnsentMedia[]) => void) | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  let sending = false;

  async function unsent(): Promise<UnsentMedia[]> {
    // Kept files still in a holding store (a replacement that failed half-way) are listed too.
    for (const key of heldKeys()) await finishHeld(key).catch(() => undefined);
    const out: UnsentMedia[] = [];
    for (const key of knownKeys()) {
      const { orgId, space } = parseKey(key);
      const db = await local(key);
      const items = (await readOutbox(db)).items;
      const ids = Object.keys(items);
      if (!ids.length) continue;
      const rows = (await db.allDocs({ keys: ids, include_docs: true })).rows;
      for (const row of rows) {
        const doc = 'doc' in row ? row.doc : undefined;
        if (!doc) continue;
        out.push({
          orgId,
          ...(space !== 'media' ? { space } : {}),
          id: doc._id,
          fileName: doc.fileName,
          contentType: doc.contentType,
          createdAt: doc.createdAt,
          ...(doc.ref ? { ref: doc.ref } : {}),
          ...(items[doc._id]?.refused ? { refused: items[doc._id].refused } : {})
        });
      }
    }
    return out;
  }

  function notify() {
    if (listener)
      void unsent().then(
        (list) => listener?.(list),
        () => undefined
      );
  }

  async function syncNow(dbs?: string[]): Promise<MediaSyncReport[]> {
    const opened = new Set([...locals.keys()].map(dbOfKey));
    const wanted = mediaDbs.filter((d) => (dbs ? dbs.includes(d.db) : true) && (opened.has(d.db) || hasLocal(d.db)));
    const reports: MediaSyncReport[] = [];
    // A few at a time: each replication holds connections of its own.
    for (let i = 0; i < wanted.length; i += 3) {
      reports.push(...(await Promise.all(wanted.slice(i, i + 3).map(syncOne))));
    }
    notify();
    return reports;
  }

  /** Outbox items whose files are in the store, for moving them into another store. */
  async function keptFiles(db: PouchDB.Database<MediaDoc>) {
    const items = (await readOutbox(db)).items;
    const ids = Object.keys(items);
    const docs = ids.length
      ? (await db.bulkGet({ docs: ids.map((id) => ({ id })), revs: true, attachments: true, binary: true })).results
          .flatMap((r) => r.docs.flatMap((d) => ('ok' in d ? [d.ok] : [])))
          .filter((d) => !(d as { _deleted?: boolean })._deleted)
      : [];
    return { items, docs };
  }

  /** Writes files with their revisions, and their outbox items, into `db`. */
  async function putKept(db: PouchDB.Database<MediaDoc>, docs: unknown[], items: Outbox['items']) {
    if (docs.length) await db.bulkDocs(docs as never, { new_edits: false });
    await updateOutbox(db, (box) => Object.assign(box, items));
  }

  /**
   * One change of a store's life at a time (forgotten, its kept files put back, its refusals
   * lifted): a withdrawal learned at start and the same one told by the server while the start
   * still settles must not both replace the store (the second found it empty and destroyed
   * the files the first had put back).
   */
  const storeTurns = new KeyedQueue();
  let closed = false;
  const isMine = (dbName: string) => mediaDbs.some((d) => d.db === dbName);
  /** The store's database when this device may send to it now (writable, online). */
  const sendable = (key: string) => {
    const access = mediaDbs.find((d) => d.db === dbOfKey(key));
    return access?.write && online() ? access : null;
  };

  /**
   * Withdrawn access: keeps only the files made here and not sent, marked refused; the rest goes.
   * The store is destroyed rather than emptied (deletions made here would be sent if access
   * came back), so the kept files wait in a holding store meanwhile: a page closed in the
   * middle loses none of them, and the next start (or the next look at the unsent files)
   * finishes the move (`finishHeld`).
   */
  function forgetStore(key: string, dbName: string): Promise<void> {
    return storeTurns.run(key, async () => {
      // Granted again meanwhile, or already gone.
      if (closed || isMine(dbName) || !knownKeys().includes(key)) return;
      const name = mediaDatabaseName(userId, key);
      const db = await local(key);
      // From the snapshot of the kept files to the store's end, no file is added: one added in
      // between would be destroyed after its add had succeeded. A waiting add fails instead.
      const kept = await outboxTurns.run(db.name, async () => {
        const { items, docs } = await keptFiles(db);
        const held = new Set(docs.map((d) => d._id));
        const stored = (await db.allDocs()).rows.map((r) => r.id);
        // Already forgotten (at an earlier start): only the kept files are left, each refused.
        if (stored.length > 0 && stored.every((id) => held.has(id) && items[id]?.refused)) return null;
        // A file the server refused for a reason of its own keeps that refusal.
        const reason = `Access to ${dbName} was withdrawn; this file could not be sent.`;
        const marked: Outbox['items'] = {};
        for (const d of docs)
          marked[d._id] = items[d._id]?.refused ? items[d._id] : { refused: reason, withdrawn: true };
        let holding: PouchDB.Database<MediaDoc> | null = null;
        if (docs.length) {
          remember(`${name}${HOLDING}`);
          holding = new (await loadPouch())<MediaDoc>(`${name}${HOLDING}`);
          await putKept(holding, docs, marked);
        }
        for (const [urlKey, url] of urls) {
          if (!urlKey.startsWith(`${key}/`)) continue;
          URL.revokeObjectURL(url);
          urls.delete(urlKey);
        }
        await db.destroy();
        locals.delete(key);
        return holding ? { holding, items: marked, docs } : false;
      });
      if (kept === null) return;
      if (!kept) forgetName(name);
      else await finishHeldNow(key, kept);
    });
  }

  /**
   * Puts a holding store's files back into their store: a replacement cut short (read from the
   * holding store), or one just made (`moved`: the files the caller holds, not read back).
   */
  async function finishHeldNow(
    key: string,
    moved?: { holding: PouchDB.Database<MediaDoc>; items: Outbox['items']; docs: unknown[] }
  ) {
    const name = `${mediaDatabaseName(userId, key)}${HOLDING}`;
    if (closed || !heldKeys().includes(key)) return;
    const holding = moved?.holding ?? new (await loadPouch())<MediaDoc>(name);
    const { items, docs } = moved ?? (await keptFiles(holding));
    await putKept(await local(key), docs, items);
    await holding.destroy();
    forgetName(name);
  }
  const finishHeld = (key: string) => storeTurns.run(key, () => finishHeldNow(key));

  /**
   * What changed while the app was closed: stores of databases no longer the person's are
   * forgotten as a withdrawal while running is, and files refused for a withdrawal of a
   * database that is the person's again are tried again.
   */
  async function reconcile() {
    for (const key of heldKeys()) if (!closed) await finishHeld(key);
    for (const key of knownKeys()) {
      if (closed) return;
      const db = dbOfKey(key);
      if (isMine(db)) await retryWithdrawn(key);
      else await forgetStore(key, db);
    }
  }

  /** Access is back: files refused only because it had ended are sent again. */
  function retryWithdrawn(key: string): Promise<void> {
    return storeTurns.run(key, async () => {
      if (closed || !isMine(dbOfKey(key))) return;
      const db = await local(key);
      const items = (await readOutbox(db)).items;
      if (!Object.values(items).some((i) => i.withdrawn)) return;
      await updateOutbox(db, (box) => {
        for (const [id, item] of Object.entries(box)) if (item.withdrawn) box[id] = {};
      });
    });
  }

  return {
    async updateAccess(next) {
      const now = mediaOf(next);
      const withdrawn = mediaDbs.filter((d) => !now.some((n) => n.db === d.db));
      const granted = now.filter((d) => !mediaDbs.some((m) => m.db === d.db));
      mediaDbs = now;
      for (const d of withdrawn) {
        const key = keyOf(d.db);
        if (key) await forgetStore(key, d.db).catch((err) => console.warn(`Files of ${d.db} not removed:`, err));
      }
      for (const d of granted) {
        const key = keyOf(d.db);
        if (key && knownKeys().includes(key))
          await retryWithdrawn(key).catch((err) => console.warn(`Files of ${d.db} not marked to send:`, err));
      }
      notify();
    },

    async add(orgId, file, meta, space = 'media') {
      const key = storeKey(orgId, space);
      const prepared = await prepareForUpload(file);
      if (!(MEDIA_TYPES as readonly string[]).includes(prepared.contentType)) {
        throw new Error(
          `Files of type ${prepared.contentType || 'unknown'} cannot be attached (JPEG, PNG, WebP or PDF only).`
        );
      }
      if (prepared.blob.size > MAX_ATTACHMENT_BYTES) {
        throw new Error(
          `The file is ${(prepared.blob.size / 1048576).toFixed(1)} MB; at most ${MAX_ATTACHMENT_BYTES / 1048576} MB can be attached.`
        );
      }
      const now = new Date().toISOString();
      const id = newId();
      const doc: MediaDoc & { _attachments: PouchDB.Core.Attachments } = {
        _id: id,
        orgId,
        createdBy: meta.createdBy,
        createdAt: now,
        updatedBy: meta.createdBy,
        updatedAt: now,
        fileName: meta.fileName.slice(0, 200) || 'file',
        contentType: prepared.contentType,
        ...(meta.ref ? { ref: meta.ref } : {}),
        ...(prepared.width ? { width: prepared.width, height: prepared.height } : {}),
        _attachments: { file: { content_type: prepared.contentType, data: prepared.blob } }
      };
      const db = await local(key);
      // The file and its outbox entry in one write (one IndexedDB transaction): a page closed
      // between two writes left a file that nobody sent and the sign-out did not warn about.
      await outboxTurns.run(db.name, async () => {
        const box = await readOutbox(db);
        box.items[id] = {};
        const [file, entry] = await db.bulkDocs([doc, box as never]);
        if ('error' in file && file.error)
          throw new Error(`The file could not be stored: ${file.message ?? file.error}`);
        if (!('error' in entry && entry.error)) return;
        if (!isConflict(entry)) throw new Error(`The file could not be stored: ${entry.message ?? entry.error}`);
        // Another tab changed the outbox meanwhile: the entry alone, after it.
        try {
          await changeOutbox(db, (items) => (items[id] = {}));
        } catch (err) {
          await db.remove(id, (file as PouchDB.Core.Response).rev).catch(() => undefined);
          throw err;
        }
      });
      notify();
      const access = sendable(key);
      if (access) void syncOne(access).then(notify, notify);
      return id;
    },

    async url(orgId, id, space = 'media') {
      const store = storeKey(orgId, space);
      const key = `${store}/${id}`;
      const cached = urls.get(key);
      if (cached) return cached;
      const db = await local(store);
      let blob: Blob;
      try {
        blob = (await db.getAttachment(id, 'file')) as Blob;
      } catch {
        const access = mediaDbs.find((d) => d.db === dbOfKey(store));
        if (!access) throw new Error(`No access to the files of ${orgId}.`);
        const target = await remote(access.db);
        try {
          await fetchDocs(db, target, [id]);
        } finally {
          await target.close().catch(() => undefined);
        }
        blob = (await db.getAttachment(id, 'file')) as Blob;
      }
      const url = URL.createObjectURL(blob);
      urls.set(key, url);
      return url;
    },

    syncNow,
    unsent,

    async blob(orgId, id, space = 'media') {
      return (await (await local(storeKey(orgId, space))).getAttachment(id, 'file')) as Blob;
    },

    async retry(orgId, id, space = 'media') {
      const key = storeKey(orgId, space);
      const db = await local(key);
      const doc = await db.get(id);
      const now = new Date().toISOString();
      const notAhead = (t: string) => (t > now ? now : t);
      if (doc.createdAt > now || doc.updatedAt > now) {
        // Never on the server (it refused it): the device's own version may still change.
        await db.put({ ...doc, createdAt: notAhead(doc.createdAt), updatedAt: notAhead(doc.updatedAt) });
      }
      await updateOutbox(db, (items) => (items[id] = {}));
      notify();
      const access = sendable(key);
      if (access) await syncOne(access);
      notify();
    },

    async discard(orgId, id, space = 'media') {
      const db = await local(storeKey(orgId, space));
      await updateOutbox(db, (items) => delete items[id]);
      const doc = await db.get(id).catch(() => null);
      if (doc) await db.remove(doc);
      notify();
    },

    start(onUnsent) {
      listener = onUnsent ?? null;
      const sendOutbox = async () => {
        const list = await unsent();
        listener?.(list);
        const dbs = [...new Set(list.filter((u) => !u.refused).map((u) => dbOfKey(storeKey(u.orgId, u.space))))];
        if (dbs.length && online() && !sending) {
          sending = true;
          try {
            await syncNow(dbs);
          } finally {
            sending = false;
          }
          notify();
        }
      };
      // What changed while the app was closed first: a store of a withdrawn database is not sent.
      void reconcile()
        .catch((err: unknown) => console.warn('Files of withdrawn databases not settled:', err))
        .then(sendOutbox)
        .catch(() => undefined);
      timer ??= setInterval(() => void sendOutbox().catch(() => undefined), 60_000);
    },

    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      timer = null;
      listener = null;
      for (const url of urls.values()) URL.revokeObjectURL(url);
      urls.clear();
      await Promise.all([...locals.values()].map((db) => db.then((d) => d.close()).catch(() => undefined)));
      locals.clear();
    }
  };
}
