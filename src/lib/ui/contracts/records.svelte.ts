/**
 * Live licence, telephony and contract records for the screens: they are documents of the
 * asset module's one collection, told apart by `type`, read on the device (offline too) and
 * written there; the sync sends them and the gateway judges them. What the server refused stays
 * on the device with its reason (`refusedReasons`), shown beside the record.
 */
import type { RxCollection, RxDocument } from 'rxdb';
import type { Observable } from 'rxjs';
import { pragueDate } from '$lib/domain/access';
import { writableOrgIds } from '$lib/domain/databases';
import { fromEnvelope } from '$lib/domain/assets/contracts-envelope';
import { regionDocs } from '$lib/ui/collections';
import { SvelteMap } from 'svelte/reactivity';
import { live } from '$lib/ui/live.svelte';
import { session } from '$lib/ui/session.svelte';

type Doc = Record<string, unknown>;

function assets(): RxCollection<Doc> | null {
  return (session.db?.collections.assets as RxCollection<Doc> | undefined) ?? null;
}

/** The records of some types, as flat domain objects, live. */
export function liveRecords<T>(types: readonly string[]) {
  const docs = live(
    () => assets()?.find({ selector: { type: { $in: [...types] } } }).$ as Observable<RxDocument<Doc>[]> | undefined,
    [] as RxDocument<Doc>[]
  );
  const records = $derived(docs.current.map((d) => fromEnvelope<T>(d.toJSON() as Doc)));
  return {
    get list() {
      return records;
    },
    get loaded() {
      return docs.loaded;
    }
  };
}

/** Organizations and people by id, for names on the screens. */
export function liveDirectory() {
  const orgs = live(() => {
    const db = session.db;
    return db ? (regionDocs(db, 'orgs') as unknown as Observable<RxDocument<Doc>[]>) : null;
  }, [] as RxDocument<Doc>[]);
  const people = live(() => {
    const db = session.db;
    return db ? (regionDocs(db, 'people') as unknown as Observable<RxDocument<Doc>[]>) : null;
  }, [] as RxDocument<Doc>[]);
  const orgName = $derived(
    new SvelteMap(orgs.current.map((o) => [String(o.get('id')), String(o.get('shortName') ?? o.get('name'))]))
  );
  const personName = $derived(new SvelteMap(people.current.map((p) => [String(p.get('id')), String(p.get('name'))])));
  const personList = $derived(
    people.current.map((p) => ({
      id: String(p.get('id')),
      name: String(p.get('name')),
      orgId: p.get('orgId') as string | undefined
    }))
  );
  return {
    org: (id: string) => orgName.get(id) ?? id,
    person: (id: string | undefined) => (id ? (personName.get(id) ?? id) : ''),
    get people() {
      return personList;
    },
    get orgIds() {
      return [...orgName.keys()].sort();
    }
  };
}

/** Organizations whose asset register (or contract archive) the signed-in person may write. */
export function writableOrgs(collection: 'assets' | 'contracts' = 'assets'): string[] {
  return writableOrgIds(session.me?.databases ?? [], collection);
}

/** Reasons the server gave for refusing records of the asset collection, by record id. */
export function liveRefusals() {
  const rejected = live(() => session.db?.rejected.list$, []);
  const byId = $derived(
    new SvelteMap(rejected.current.filter((i) => i.collectionName === 'assets').map((i) => [i.docId, i.reason ?? '']))
  );
  return {
    reason: (id: string) => byId.get(id)
  };
}

export const today = () => pragueDate(Date.now());

export { saveEdit, saveRecord } from './records-write';
