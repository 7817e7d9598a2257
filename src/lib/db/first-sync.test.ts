/**
 * The first sync's own path (`first-sync.ts`) at its edges: a write of the person's made
 * while the path starts is still pushed (on RxDB's Dexie storage over fake-indexeddb, the
 * browser's path with its direct `bulkAdd`), a page that fails to store leaves every
 * database marked for the replication that takes over, and a page's checkpoints are written
 * while the next page is stored, in order, the last one before the path ends.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { createRxDatabase, defaultHashSha256, type HashFunction, type RxCollection, type RxStorage } from 'rxdb';
import { replicateRxCollection } from 'rxdb/plugins/replication';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { describe, expect, it } from 'vitest';
import type { BatchChangesResponse } from '../domain/sync-protocol';
import { DirtySet } from './checkpoint';
import { firstSync, replicationMeta, withoutServerStates } from './first-sync';
import { createPullHandler } from './pull';

const schema = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 40 },
    n: { type: 'integer', minimum: 0, maximum: 1e6, multipleOf: 1 }
  },
  required: ['id', 'n'],
  indexes: ['n']
} as const;

type Storage = RxStorage<unknown, unknown>;
let dbCount = 0;

async function device(opts: { storage?: Storage; hashFunction?: HashFunction } = {}) {
  const db = await createRxDatabase({
    name: `first-sync-${++dbCount}`,
    storage: opts.storage ?? getRxStorageDexie({ indexedDB: new IDBFactory(), IDBKeyRange }),
    multiInstance: false,
    hashFunction: opts.hashFunction ?? defaultHashSha256
  });
  const { items } = await db.addCollections({ items: { schema } });
  return { db, items: items as RxCollection };
}

const serverDocs = (ids: string[]) => ids.map((id, n) => ({ id, n, _deleted: false }));

/**
 * The memory storage, with every checkpoint write of the replication's meta store held `holdMs`
 * (the `failAt`th failing) and each write logged in order.
 */
function loggedStorage(log: string[], opts: { holdMs: number; failAt?: number }): Storage {
  const base = getRxStorageMemory();
  let checkpoints = 0;
  const storage: typeof base = {
    ...base,
    async createStorageInstance(params) {
      const instance = await base.createStorageInstance(params);
      const write = instance.bulkWrite.bind(instance);
      if (params.collectionName === 'items')
        instance.bulkWrite = async (rows, context) => {
          log.push(`docs ${rows.map((r) => (r.document as unknown as { id: string }).id).join(',')}`);
          return write(rows, context);
        };
      else if (params.collectionName.startsWith('rx-replication-meta'))
        instance.bulkWrite = async (rows, context) => {
          if (context !== 'replication-set-checkpoint') return write(rows, context);
          const n = ++checkpoints;
          const doc = rows[0].document as unknown as { itemId: string; checkpointData: { seqs: { a: number } } };
          const name = `${doc.itemId} ${doc.itemId === 'down' ? doc.checkpointData.seqs.a : ''}`.trim();
          log.push(`checkpoint ${name} begun`);
          await new Promise((resolve) => setTimeout(resolve, opts.holdMs));
          if (n === opts.failAt) throw new Error('QuotaExceededError');
          const result = await write(rows, context);
          log.push(`checkpoint ${name} stored`);
          return result;
        };
      return instance;
    }
  };
  return storage as Storage;
}

/** Pages of two documents each, then a short one; a page's checkpoint is the count so far. */
function pagedPull(pages: string[][], delayMs = 0) {
  let at = 0;
  return async () => {
    if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
    const ids = pages[at++] ?? [];
    return { documents: serverDocs(ids) as never, checkpoint: { seqs: { a: pages.slice(0, at).flat().length } } };
  };
}

/** The checkpoint RxDB's replication starts from on this device. */
async function replicationStart(items: RxCollection): Promise<unknown> {
  let from: unknown = 'not asked';
  const rep = replicateRxCollection({
    collection: items,
    replicationIdentifier: 'r1',
    live: false,
    waitForLeadership: false,
    pull: {
      handler: async (cp: unknown) => {
        if (from === 'not asked') from = cp;
        return { documents: [], checkpoint: cp };
      },
      batchSize: 2
    }
  });
  await rep.awaitInitialReplication();
  await rep.cancel();
  return from;
}

/**
 * A first sync whose second page is stored without its checkpoints: the first page's two are
 * stored, the second page's down checkpoint fails at once, while the third page is still on its
 * way (a rejection nobody waits for yet).
 */
async function cutShortAtSecondPage(log: string[], onAbandon: () => void) {
  const d = await device({ storage: loggedStorage(log, { holdMs: 0, failAt: 3 }) });
  const run = await firstSync({
    collection: d.items,
    replicationIdentifier: 'r1',
    batchSize: 2,
    pull: pagedPull([['a1', 'a2'], ['b1', 'b2'], ['c1', 'c2'], ['d1']], 30),
    stopped: () => false,
    onAbandon
  });
  return { d, run };
}

/** The ids RxDB's replication of this device sends at its start (through `select`, as the app's push does). */
async function sentByReplication(
  items: RxCollection,
  select: <R extends { newDocumentState: unknown }>(rows: R[]) => Promise<R[]> = async (rows) => rows
): Promise<string[]> {
  const sent: string[] = [];
  const rep = replicateRxCollection({
    collection: items,
    replicationIdentifier: 'r1',
    live: false,
    waitForLeadership: false,
    pull: { handler: async (cp: unknown) => ({ documents: [], checkpoint: cp }), batchSize: 10 },
    push: {
      handler: async (rows) => {
        sent.push(...(await select(rows)).map((r) => String((r.newDocumentState as { id: string }).id)));
        return [];
      },
      batchSize: 10
    }
  });
  await rep.awaitInitialReplication();
  await rep.cancel();
  return sent;
}

describe('the first sync', () => {
  it('pushes a write the person made while it started, before its first page', async () => {
    let armed = true;
    let items: RxCollection | null = null;
    // RxDB hashes the replication's identifier as the path starts: the person writes meanwhile.
    const hashFunction: HashFunction = async (input) => {
      if (armed && items && typeof input === 'string' && input.startsWith('rxdbreplication')) {
        armed = false;
        await items.insert({ id: 'mine', n: 7 });
      }
      return defaultHashSha256(input);
    };
    const d = await device({ hashFunction });
    items = d.items;
    const run = await firstSync({
      collection: d.items,
      replicationIdentifier: 'r1',
      batchSize: 10,
      pull: async () => ({ documents: serverDocs(['s1', 's2']) as never, checkpoint: { seqs: { a: 2 } } }),
      stopped: () => false,
      onAbandon: () => undefined
    });
    expect(armed).toBe(false);
    expect(run).toMatchObject({ outcome: 'done', documents: 2 });
    expect(await sentByReplication(d.items)).toContain('mine');
    await run.release();
    await d.db.close();
  });

  it('leaves every database marked when a page fails to store while the next one is read', async () => {
    // The store's first write of a page fails (a full disk, a lost IndexedDB connection); on the
    // memory storage the page goes through RxDB's bulkWrite, where the failure is made.
    const base = getRxStorageMemory();
    const storage: typeof base = {
      ...base,
      async createStorageInstance(params) {
        const instance = await base.createStorageInstance(params);
        if (params.collectionName !== 'items') return instance;
        let failed = false;
        const write = instance.bulkWrite.bind(instance);
        instance.bulkWrite = async (rows, context) => {
          if (!failed && context.startsWith('replication-downstream')) {
            failed = true;
            throw new Error('QuotaExceededError');
          }
          return write(rows, context);
        };
        return instance;
      }
    };
    const d = await device({ storage: storage as Storage });
    const dbs = ['org_a_items'];
    const dirty = new DirtySet(dbs);
    const asked: unknown[] = [];
    const change = (n: number) => ({ id: `i${n}`, seq: n, doc: { _id: `i${n}`, _rev: '1-a', n } });
    // Two documents then one: the second page is short, and still on its way when the first fails.
    const answers: BatchChangesResponse[] = [
      {
        results: { org_a_items: { results: [change(1), change(2)], last_seq: 2, more: true } },
        refused: {},
        unread: []
      },
      { results: { org_a_items: { results: [change(3)], last_seq: 3, more: false } }, refused: {}, unread: [] },
      { results: { org_a_items: { results: [], last_seq: 3, more: false } }, refused: {}, unread: [] }
    ];
    const pull = createPullHandler({
      client: {
        async changesBatch(since) {
          asked.push(since);
          await new Promise((resolve) => setTimeout(resolve, 20));
          return answers.shift()!;
        }
      },
      readable: () => dbs,
      dirty
    });
    const run = await firstSync({
      collection: d.items,
      replicationIdentifier: 'r1',
      batchSize: 2,
      pull: (cp, size) => pull(cp, size),
      stopped: () => false,
      onAbandon: () => dirty.markAll(dbs)
    });
    // Anything still running after the path ended has had time to take the marks.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(run.outcome).toBe('interrupted');
    expect(dirty.has('org_a_items')).toBe(true);
    expect(asked).toHaveLength(2);
    await run.release();
    await d.db.close();
  });

  it("stores the next page while a page's checkpoints are written, and ends with the last ones stored", async () => {
    const log: string[] = [];
    const d = await device({ storage: loggedStorage(log, { holdMs: 30 }) });
    let abandoned = false;
    const run = await firstSync({
      collection: d.items,
      replicationIdentifier: 'r1',
      batchSize: 2,
      pull: pagedPull([['a1', 'a2'], ['b1', 'b2'], ['c1']]),
      stopped: () => false,
      onAbandon: () => (abandoned = true)
    });
    expect(run).toMatchObject({ outcome: 'done', documents: 5 });
    expect(abandoned).toBe(false);
    const at = (entry: string) => log.indexOf(entry);
    // The second page is stored while the first page's checkpoint is being written.
    expect(at('docs b1,b2')).toBeGreaterThan(at('checkpoint down 2 begun'));
    expect(at('docs b1,b2')).toBeLessThan(at('checkpoint down 2 stored'));
    // Checkpoints in the pages' order, each after its page's documents, the last before the end.
    const downs = log.filter((e) => /^checkpoint down \d+ stored$/.test(e));
    expect(downs).toEqual(['checkpoint down 2 stored', 'checkpoint down 4 stored', 'checkpoint down 5 stored']);
    expect(at('checkpoint down 5 begun')).toBeGreaterThan(at('docs c1'));
    expect(await replicationStart(d.items)).toMatchObject({ seqs: { a: 5 } });
    await run.release();
    await d.db.close();
  });

  it('falls back to the replication from the last stored checkpoint when a checkpoint write fails', async () => {
    const log: string[] = [];
    let abandoned = false;
    const { d, run } = await cutShortAtSecondPage(log, () => (abandoned = true));
    expect(run.outcome).toBe('interrupted');
    expect(abandoned).toBe(true);
    expect(log.filter((e) => e.endsWith('begun'))).not.toContain('checkpoint down 6 begun');
    expect(await replicationStart(d.items)).toMatchObject({ seqs: { a: 2 } });
    await run.release();
    await d.db.close();
  });

  it("does not send back a page stored without its checkpoints when the replication takes over; the person's edits are sent", async () => {
    // As a tab closed between a page and its checkpoints: the second page is stored, its
    // checkpoints are not, so the upstream checkpoint is the first page's.
    const { d, run } = await cutShortAtSecondPage([], () => undefined);
    await run.release();
    expect(run.outcome).toBe('interrupted');
    const stored = (await d.items.find().exec()).map((doc) => doc.primary);
    expect(stored).toEqual(expect.arrayContaining(['a1', 'a2', 'b1', 'b2']));
    await (await d.items.findOne('b2').exec())!.incrementalPatch({ n: 99 });
    await (await d.items.findOne('b1').exec())!.remove();
    await d.items.insert({ id: 'new', n: 1 });

    // Every stored document past the checkpoint is offered to the push; the person's edit,
    // removal and new document are sent, the pulled states are not.
    const meta = replicationMeta(d.items, 'r1');
    const editsOnly = withoutServerStates(d.items, meta);
    expect((await sentByReplication(d.items, editsOnly)).sort()).toEqual(['b1', 'b2', 'new']);
    // The next start sends nothing again.
    expect(await sentByReplication(d.items)).toEqual([]);
    await meta.release();
    await d.db.close();
  });
});
