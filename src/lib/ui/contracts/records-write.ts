/** Writes licence, telephony and contract records into the device's asset collection. */
import type { RxCollection } from 'rxdb';
import { toEnvelope } from '$lib/domain/assets/contracts-envelope';
import { session } from '$lib/ui/session.svelte';

type Doc = Record<string, unknown>;

/** Stores a record on the device: a new one with its audit fields, an existing one with its new fields. */
export async function saveRecord<T extends { id: string; orgId: string; type: string }>(record: T): Promise<void> {
  const c = (session.db?.collections.assets as RxCollection<Doc> | undefined) ?? null;
  const userId = session.me?.user.id;
  if (!c || !userId) throw new Error('the database is not open');
  const env = toEnvelope(record);
  const now = new Date().toISOString();
  const existing = await c.findOne(record.id).exec();
  if (existing) await existing.incrementalPatch({ data: env.data, updatedBy: userId, updatedAt: now });
  else await c.insert({ ...env, createdBy: userId, createdAt: now, updatedBy: userId, updatedAt: now });
}
