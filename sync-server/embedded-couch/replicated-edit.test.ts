/**
 * A replicated edit (new_edits:false) of an existing document must be stored in a database
 * that has a validate_doc_update: the embedded store once dropped it while answering success.
 */
import nano from 'nano';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => s?.close());

describe('embedded store keeps replicated edits', () => {
  it('stores a new_edits:false child revision of a document in a validated database', async () => {
    const db = nano(s.couchUrl).use<Record<string, unknown>>('org_gym-kt_assets');
    const now = new Date().toISOString();
    const doc = {
      _id: 'asset-replicated-edit',
      type: 'asset',
      key: 'INV-1',
      refId: '',
      day: '',
      orgId: 'gym-kt',
      createdBy: 'admin',
      createdAt: now,
      updatedBy: 'admin',
      updatedAt: now,
      inventoryNo: 'INV-RE-1',
      kind: 'laptop',
      name: 'Notebook',
      state: 'in_use'
    };
    const first = await db.insert(doc);
    const [, hash1] = first.rev.split('-');
    const edited = {
      ...doc,
      name: 'Notebook (opraveno)',
      _rev: '2-0123456789abcdef0123456789abcdef',
      _revisions: { start: 2, ids: ['0123456789abcdef0123456789abcdef', hash1] }
    };
    const res = await db.bulk({ docs: [edited], new_edits: false } as never);
    expect(res).toEqual([]);
    const stored = await db.get(doc._id);
    expect(stored._rev).toBe('2-0123456789abcdef0123456789abcdef');
    expect(stored.name).toBe('Notebook (opraveno)');
  });

  it('still refuses what the validation function forbids', async () => {
    const db = nano(s.couchUrl).use<Record<string, unknown>>('org_gym-kt_assets');
    await expect(
      db.insert({
        _id: 'asset-bad-org',
        orgId: 'sos-do',
        createdBy: 'admin',
        createdAt: 'x',
        updatedBy: 'admin',
        updatedAt: 'x'
      })
    ).rejects.toMatchObject({ statusCode: 403 });
  });
});
