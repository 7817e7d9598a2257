import { createRxDatabase, type RxCollection } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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

const pendingCount = async () => (await issues.store.find({ selector: { kind: 'pending' } }).exec()).length;

describe('pending marks', () => {
  it('are cleared by the push of that version or of a newer (merged) one', async () => {
    await issues.markPending('tickets', 'a', '2026-11-22T08:00:00.000Z');
    await issues.markPending('tickets', 'b', '2026-11-22T08:00:00.000Z');
    await issues.clearPushed('tickets', [
      { id: 'a', updatedAt: '2026-11-22T08:00:00.000Z' },
      { id: 'b', updatedAt: '2026-11-22T08:05:00.000Z' }
    ]);
    expect(await pendingCount()).toBe(0);
  });

  it('stay while only an older version reached the server (a newer local edit waits)', async () => {
    await issues.markPending('tickets', 'a', '2026-11-22T08:10:00.000Z');
    await issues.clearPushed('tickets', [{ id: 'a', updatedAt: '2026-11-22T08:00:00.000Z' }]);
    expect(await pendingCount()).toBe(1);
  });
});
