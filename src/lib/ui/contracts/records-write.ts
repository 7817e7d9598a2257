/** Writes licence, telephony and contract records into the device's asset collection. */
import type { RxCollection } from 'rxdb';
import { historyEntry } from '$lib/domain/assets/build';
import { toEnvelope } from '$lib/domain/assets/contracts-envelope';
import { diffRecord } from '$lib/domain/assets/record-history';
import { session } from '$lib/ui/session.svelte';

type Doc = Record<string, unknown>;

function assets(): { c: RxCollection<Doc>; userId: string } {
  const c = (session.db?.collections.assets as RxCollection<Doc> | undefined) ?? null;
  const userId = session.me?.user.id;
  if (!c || !userId) throw new Error('the database is not open');
  return { c, userId };
}

/** Stores a record on the device: a new one with its audit fields, an existing one with its new fields. */
export async function saveRecord<T extends { id: string; orgId: string; type: string }>(record: T): Promise<void> {
  const { c, userId } = assets();
  const env = toEnvelope(record);
  const now = new Date().toISOString();
  const existing = await c.findOne(record.id).exec();
  if (existing) await existing.incrementalPatch({ ...env, updatedBy: userId, updatedAt: now });
  else await c.insert({ ...env, createdBy: userId, createdAt: now, updatedBy: userId, updatedAt: now });
}

/**
 * An edit of an existing record, with its history entry (what changed, from what, to what)
 * written beside it; nothing is written when nothing changed. Returns the number of fields changed.
 */
export async function saveEdit<T extends { id: string; orgId: string; type: string }>(
  before: T,
  after: T
): Promise<number> {
  const changes = diffRecord(before as unknown as Doc, after as unknown as Doc);
  if (!changes.length) return 0;
  const { c, userId } = assets();
  await saveRecord(after);
  await c.insert(historyEntry(after, 'edited', changes, userId, new Date()) as unknown as Doc);
  return changes.length;
}
