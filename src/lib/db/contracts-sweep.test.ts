import { addRxPlugin, createRxDatabase, type RxDatabase } from 'rxdb';
import { RxDBLocalDocumentsPlugin } from 'rxdb/plugins/local-documents';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, describe, expect, it } from 'vitest';
import { sweepKey, sweepWhenAccessChanged } from './contracts-sweep';

addRxPlugin(RxDBLocalDocumentsPlugin);

let db: RxDatabase;
afterEach(async () => db?.close());

const open = async () =>
  (db = await createRxDatabase({
    name: `sweep-${Date.now()}-${Math.random().toString(36).slice(2)}`,
    storage: getRxStorageMemory(),
    multiInstance: false,
    localDocuments: true
  }));

describe('the sweep of contracts the user may no longer read', () => {
  it('runs on the first start, not again while the readable contract databases stay the same', async () => {
    await open();
    let runs = 0;
    const sweep = async () => void runs++;
    const dbs = ['org_a_tickets', 'org_a_contracts', 'org_b_contracts'];
    expect(await sweepWhenAccessChanged(db, dbs, sweep)).toBe(true);
    expect(await sweepWhenAccessChanged(db, [...dbs].reverse(), sweep)).toBe(false);
    // Other databases granted or withdrawn do not matter to it.
    expect(await sweepWhenAccessChanged(db, [...dbs, 'org_c_tickets'], sweep)).toBe(false);
    expect(runs).toBe(1);
  });

  it('runs again when a contract database is withdrawn or granted', async () => {
    await open();
    let runs = 0;
    const sweep = async () => void runs++;
    await sweepWhenAccessChanged(db, ['org_a_contracts', 'org_b_contracts'], sweep);
    expect(await sweepWhenAccessChanged(db, ['org_a_contracts'], sweep)).toBe(true);
    expect(await sweepWhenAccessChanged(db, ['org_a_contracts', 'org_c_contracts'], sweep)).toBe(true);
    expect(runs).toBe(3);
  });

  it('tries again at the next start when a sweep failed', async () => {
    await open();
    await expect(
      sweepWhenAccessChanged(db, ['org_a_contracts'], async () => Promise.reject(new Error('quota')))
    ).rejects.toThrow('quota');
    let runs = 0;
    expect(await sweepWhenAccessChanged(db, ['org_a_contracts'], async () => void runs++)).toBe(true);
    expect(runs).toBe(1);
  });

  it('keys on the contract databases only, in a fixed order', () => {
    expect(sweepKey(['org_b_contracts', 'org_a_tickets', 'org_a_contracts'])).toBe('org_a_contracts org_b_contracts');
  });
});
