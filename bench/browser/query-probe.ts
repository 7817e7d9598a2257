/**
 * The ticket list's query, run with the app's own modules (collection definitions, database
 * name, `findTickets`) on a fresh RxDB instance over the app's IndexedDB, the way a second
 * tab of the app would open it. Bundled by the benchmark and injected into a page of the
 * app's origin; nothing of it ships with the app.
 */
import { addRxPlugin, createRxDatabase } from 'rxdb';
import { RxDBLeaderElectionPlugin } from 'rxdb/plugins/leader-election';
import { RxDBLocalDocumentsPlugin } from 'rxdb/plugins/local-documents';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { RxDBUpdatePlugin } from 'rxdb/plugins/update';
import { collectionCreators } from '../../src/lib/db/collections';
import { rxDatabaseName } from '../../src/lib/db/local-names';
import { findTickets } from '../../src/lib/db/query-tickets';
import type { SyncIssues } from '../../src/lib/db/sync-issues';

addRxPlugin(RxDBLeaderElectionPlugin);
addRxPlugin(RxDBLocalDocumentsPlugin);
addRxPlugin(RxDBUpdatePlugin);

/** The list's default view: open tickets, most recently changed first. */
const OPEN = ['new', 'assigned', 'in_progress', 'waiting'] as const;

/**
 * `open`: `findTickets` with the list's default view. `all`: every ticket, unsorted, which is
 * what the list page itself subscribes to before filtering in memory.
 */
async function listQuery(userId: string, mode: 'open' | 'all' = 'open'): Promise<{ ms: number; count: number }> {
  const db = await createRxDatabase({
    name: rxDatabaseName(userId),
    storage: getRxStorageDexie(),
    multiInstance: true,
    eventReduce: true,
    localDocuments: true,
    closeDuplicates: true
  });
  try {
    const created = await db.addCollections(collectionCreators(() => null as unknown as SyncIssues));
    const start = performance.now();
    const found =
      mode === 'all'
        ? await created.tickets.find().exec()
        : await findTickets(created.tickets, { status: [...OPEN], sort: 'updated-desc' });
    return { ms: performance.now() - start, count: found.length };
  } finally {
    await db.close();
  }
}

(globalThis as unknown as { benchListQuery: typeof listQuery }).benchListQuery = listQuery;
