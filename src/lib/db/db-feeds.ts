/**
 * Which local collection each database of the person feeds. Small on purpose: the first
 * pages asked while the app starts (`early-pull.ts`) need it before the data layer loads.
 */
import { parseDbName } from '../domain/databases';
import type { DbAccess } from './push-routing';

/** The one local collection of all region reference data (`region.ts`). */
export const REGION_COLLECTION = 'region';

/** Files and their scans: synced by PouchDB (`media.ts`), not by the collections' pull. */
export const FILES_COLLECTION = 'media';

const FEEDS: Partial<Record<string, string>> = { contracts: 'assets', contractscans: FILES_COLLECTION };

/**
 * The local collection a database feeds: its own, `region` for every `region_*` database,
 * `assets` for the contract archive and `media` (files) for its scans.
 */
export function localCollectionOf(db: string): string | null {
  const ref = parseDbName(db);
  if (!ref) return null;
  if (ref.kind === 'region') return REGION_COLLECTION;
  return FEEDS[ref.collection] ?? ref.collection;
}

export function dbsByCollection(databases: readonly DbAccess[]): Map<string, DbAccess[]> {
  const out = new Map<string, DbAccess[]>();
  for (const d of databases) {
    const name = localCollectionOf(d.db);
    if (!name) continue;
    const list = out.get(name) ?? [];
    list.push(d);
    out.set(name, list);
  }
  return out;
}
