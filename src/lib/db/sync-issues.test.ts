import { createRxDatabase, type RxCollection } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CouchClient } from './couch-http';
import { discardRejected } from './rejected-actions';
import { SyncIssues, syncIssueSchema, type SyncIssue } from './sync-issues';

let issues: SyncIssues;
let close: () => Promise<unknown>;

beforeEach(async () => {
  const db = await createRxDatabase({
    name: `issues${Date.now()}${Math.random().toString(36).slice(2)}`,
    storage: getRxStorageMemory()
  });
  const { syncissues } = await db.addCollections({ syncissues: { schema: syncIssueSchema } });
  issues = new SyncIssues(syncissues as RxCollection<SyncIssue>);
  close = () => db.close();
});
afterEach(async () => close());

const version = (id: string, updatedAt: string) => ({ id, _deleted: false, updatedAt });
const pendingCount = async () => (await issues.store.find({ selector: { kind: 'pending' } }).exec()).length;

describe('pending marks', () => {
  it('are cleared by the push of that version or of a newer (merged) one', async () => {
    await issues.markPending('tickets', 'a', '2026-11-22T08:00:00.000Z');
    await issues.markPending('tickets', 'b', '2026-11-22T08:00:00.000Z');
    await issues.clearPushed('tickets', [
      { id: 'a', doc: version('a', '2026-11-22T08:00:00.000Z') },
      { id: 'b', doc: version('b', '2026-11-22T08:05:00.000Z') }
    ]);
    expect(await pendingCount()).toBe(0);
  });

  it('of one bulk write are stored in one write of the store, the later edit of a document winning', async () => {
    let writes = 0;
    const sub = issues.store.database.eventBulks$.subscribe(() => writes++);
    const marks = Array.from({ length: 300 }, (_, i) =>
      issues.markPending('assets', `a${i}`, '2026-11-22T08:00:00.000Z')
    );
    marks.push(issues.markPending('assets', 'a0', '2026-11-22T08:01:00.000Z'));
    await Promise.all(marks);
    sub.unsubscribe();
    expect(writes).toBe(1);
    expect(await pendingCount()).toBe(300);
    const a0 = await issues.store.findOne('pending:assets:a0').exec();
    expect(a0?.version).toBe('2026-11-22T08:01:00.000Z');
    // A mark made after that write is its own write, and still stored.
    await issues.markPending('assets', 'b', '2026-11-22T08:02:00.000Z');
    expect(await pendingCount()).toBe(301);
  });

  it('of a bulk insert, marked from the post-insert hook as the device does, are one write', async () => {
    const { things } = await issues.store.database.addCollections({
      things: {
        schema: {
          version: 0,
          primaryKey: 'id',
          type: 'object',
          properties: { id: { type: 'string', maxLength: 100 }, updatedAt: { type: 'string' } },
          required: ['id']
        }
      }
    });
    things.postInsert((d: { id: string; updatedAt: string }) => issues.markPending('things', d.id, d.updatedAt), false);
    let writes = 0;
    const sub = issues.store.database.eventBulks$.subscribe((b) => {
      if (b.collectionName === issues.store.name) writes++;
    });
    await things.bulkInsert(
      Array.from({ length: 500 }, (_, i) => ({ id: `t${i}`, updatedAt: '2026-11-22T08:00:00.000Z' }))
    );
    sub.unsubscribe();
    expect(await pendingCount()).toBe(500);
    expect(writes).toBe(1);
  });

  it('stay while only an older version reached the server (a newer local edit waits)', async () => {
    await issues.markPending('tickets', 'a', '2026-11-22T08:10:00.000Z');
    await issues.clearPushed('tickets', [{ id: 'a', doc: version('a', '2026-11-22T08:00:00.000Z') }]);
    expect(await pendingCount()).toBe(1);
  });

  it('stay while the device holds a newer edit than the version pushed, whatever their times', async () => {
    const { notes } = await issues.store.database.addCollections({
      notes: {
        schema: {
          version: 0,
          primaryKey: 'id',
          type: 'object',
          properties: {
            id: { type: 'string', maxLength: 100 },
            text: { type: 'string' },
            updatedAt: { type: 'string' }
          },
          required: ['id']
        }
      }
    });
    notes.postSave((d: { id: string; updatedAt: string }) => issues.markPending('notes', d.id, d.updatedAt), false);
    notes.postInsert((d: { id: string; updatedAt: string }) => issues.markPending('notes', d.id, d.updatedAt), false);
    const first = { id: 'n', _deleted: false, text: 'first', updatedAt: '2026-11-22T08:01:00.000Z' };
    const doc = await notes.insert(first);
    // The second edit, made while the first was being pushed, with the same time and then with
    // an earlier one (the device's clock was set back).
    const same = await doc.incrementalPatch({ text: 'second' });
    await issues.clearPushed('notes', [{ id: 'n', doc: first }]);
    expect(await pendingCount()).toBe(1);
    await same.incrementalPatch({ text: 'third', updatedAt: '2026-11-22T08:00:00.000Z' });
    await issues.clearPushed('notes', [{ id: 'n', doc: first }]);
    expect(await pendingCount()).toBe(1);
    // The push of what the device holds clears it.
    await issues.clearPushed('notes', [
      { id: 'n', doc: { ...first, text: 'third', updatedAt: '2026-11-22T08:00:00.000Z' } }
    ]);
    expect(await pendingCount()).toBe(0);
  });

  it('are not cleared when the mark was written again after they were read (a newer edit)', async () => {
    await issues.markPending('tickets', 'a', '2026-11-22T08:00:00.000Z');
    // The newer edit's mark lands right after the answer to the older push read the marks.
    const store = issues.store;
    const findByIds = store.findByIds.bind(store);
    store.findByIds = ((ids: string[]) => {
      store.findByIds = findByIds;
      const query = findByIds(ids);
      return {
        exec: async () => {
          const found = await query.exec();
          await issues.markPending('tickets', 'a', '2026-11-22T07:59:00.000Z');
          return found;
        }
      };
    }) as typeof store.findByIds;
    await issues.clearPushed('tickets', [{ id: 'a', doc: version('a', '2026-11-22T08:00:00.000Z') }]);
    store.findByIds = findByIds;
    expect((await store.findOne('pending:tickets:a').exec())?.version).toBe('2026-11-22T07:59:00.000Z');
  });
});

describe('refused versions', () => {
  const refused = (title: string) => ({
    docId: 't1',
    code: 'forbidden' as const,
    reason: `no: ${title}`,
    doc: { id: 't1', _deleted: false, title, updatedAt: '2026-11-22T08:00:00.000Z' },
    serverDoc: { id: 't1', _deleted: false, title: 'server', updatedAt: '2026-11-21T08:00:00.000Z' }
  });
  const rejected = async () =>
    (await issues.store.find({ selector: { kind: 'rejected' } }).exec()).map((d) => d.toJSON(true) as SyncIssue);

  it('a later unrelated refusal of the same document keeps the earlier refused version beside it', async () => {
    await issues.setAside('tickets', [refused('first change')]);
    await issues.setAside('tickets', [refused('unrelated later change')]);
    const all = await rejected();
    expect(all.map((e) => e.doc?.title).sort()).toEqual(['first change', 'unrelated later change']);
    const current = all.find((e) => issues.isCurrentRefusal(e))!;
    expect(current.doc?.title).toBe('unrelated later change');
    // What push logic reads is the current refusal only.
    expect((await issues.rejectedFor('tickets', ['t1'])).get('t1')?.doc.title).toBe('unrelated later change');

    // Discarding the earlier one drops only it.
    const earlier = all.find((e) => !issues.isCurrentRefusal(e))!;
    await discardRejected({ collections: {}, issues, client: {} as CouchClient }, earlier.id);
    expect((await rejected()).map((e) => e.doc?.title)).toEqual(['unrelated later change']);
  });

  it('the same version refused again, or one built on the refused one, keeps no copy', async () => {
    await issues.setAside('tickets', [refused('first change')]);
    await issues.setAside('tickets', [refused('first change')]);
    await issues.setAside('tickets', [refused('first change, then more')], new Set(['t1']));
    expect((await rejected()).map((e) => e.doc?.title)).toEqual(['first change, then more']);
  });

  it('the same version refused by the server and set aside by the purge of its database is one entry', async () => {
    // The push hands over its rows with `_deleted`; the purge reads the store's documents without it.
    await issues.setAside('tickets', [refused('stranded report')]);
    const { _deleted: _d, ...asStored } = refused('stranded report').doc;
    await issues.setAside('tickets', [
      { ...refused('stranded report'), reason: 'Access to org_sos-do_tickets was withdrawn', doc: asStored as never }
    ]);
    const all = await rejected();
    expect(all).toHaveLength(1);
    expect(all[0].doc).toMatchObject({ title: 'stranded report', _deleted: false });
  });
});
