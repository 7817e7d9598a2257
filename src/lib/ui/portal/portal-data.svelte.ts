/**
 * What the portal screens share besides their rows: the organizations, the people, the rule
 * sets when a screen asks for them, and which tasks are not yet on the server. The rows of
 * approvals and tasks come from the device's projection (`portal-lists.svelte.ts`), never from
 * reading the collections whole. Works offline: everything comes from the device's database.
 */
import type { RxCollection, RxDocument } from 'rxdb';
import type { Observable } from 'rxjs';
import { regionDocs } from '$lib/ui/collections';
import type { OrgFinance } from '$lib/domain/portal/approval-view';
import { ruleSetFromCatalog, type RuleSet } from '$lib/domain/portal/rule-sets';
import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import { live } from '$lib/ui/live.svelte';
import { session } from '$lib/ui/session.svelte';

type Doc = Record<string, unknown>;
const plain = (docs: RxDocument<Doc>[]): Doc[] => docs.map((d) => d.toJSON() as Doc);

type OrgCollectionName = 'approvals' | 'tasks';
type RegionName = 'orgs' | 'catalog' | 'people';

function col(name: OrgCollectionName): RxCollection<Doc> | null {
  return (session.db?.collections[name] as RxCollection<Doc> | undefined) ?? null;
}

/** Region data of one kind, as it changes; `null`: nothing is read. */
export function liveDocs(name: RegionName | null) {
  return live(() => {
    const db = session.db;
    if (!db || !name) return null;
    return regionDocs(db, name) as unknown as Observable<RxDocument<Doc>[]>;
  }, [] as RxDocument<Doc>[]);
}

/**
 * `rules`: the registration form judges a new document under the rule sets. `unsent`: a task's
 * page tells which tasks are not on the server yet; the lists do not ask, so opening one does
 * not wait on reading the device's pending and refused changes.
 */
export function portalData(needs: { rules?: boolean; unsent?: boolean } = {}) {
  const orgs = liveDocs('orgs');
  const catalog = liveDocs(needs.rules ? 'catalog' : null);
  const people = liveDocs('people');
  const ruleSets = $derived(plain(catalog.current).flatMap((d) => ruleSetFromCatalog(d) ?? []) as RuleSet[]);
  const orgList = $derived(plain(orgs.current) as unknown as (OrgFinance & { name: string; shortName: string })[]);
  // Tasks still on the device (unsent or refused): the server cannot take files for them yet.
  const pending = live(() => (needs.unsent ? session.db?.pending.list$ : null), []);
  const rejected = live(() => (needs.unsent ? session.db?.rejected.list$ : null), []);
  const unsentTasks = $derived(
    new SvelteSet(
      [...pending.current, ...rejected.current].filter((i) => i.collectionName === 'tasks').map((i) => i.docId)
    )
  );
  const personName = $derived(new SvelteMap(plain(people.current).map((p) => [String(p.id), String(p.name)])));
  return {
    get unsentTasks() {
      return unsentTasks;
    },
    get ruleSets() {
      return ruleSets;
    },
    get orgs() {
      return orgList;
    },
    /** Everything the screen's needs read has answered once. */
    get loaded() {
      return orgs.loaded && (!needs.rules || catalog.loaded);
    },
    orgName(id: string) {
      return orgList.find((o) => o.id === id)?.shortName ?? id;
    },
    person(id: string | undefined) {
      return id ? (personName.get(id) ?? id) : '';
    }
  };
}

/** Writes a new document into a collection (the data layer syncs it when it can). */
export async function insertDoc(name: 'approvals' | 'tasks', doc: Doc): Promise<void> {
  const c = col(name);
  if (!c) throw new Error('the database is not open');
  await c.insert(doc);
}

export async function patchDoc(name: 'approvals' | 'tasks', id: string, patch: Doc): Promise<void> {
  const c = col(name);
  const d = await c?.findOne(id).exec();
  if (!d) throw new Error(`${id} is not on this device`);
  await d.incrementalPatch(patch);
}

/**
 * Brings the scans of the documents waiting for the user onto the device while it is online,
 * so they can be read on the road, offline (the media store keeps what it fetched).
 */
export function prefetchScans(items: readonly { orgId: string; mediaId?: string }[]): void {
  const media = session.db?.media;
  if (!media || typeof navigator === 'undefined' || !navigator.onLine) return;
  for (const it of items) if (it.mediaId) void media.url(it.orgId, it.mediaId).catch(() => undefined);
}

/** Ids of documents of a collection still waiting on the device to be sent. */
export function livePendingIds(collection: string) {
  const pending = live(() => session.db?.pending.list$, []);
  const ids = $derived(
    new SvelteSet(pending.current.filter((i) => i.collectionName === collection).map((i) => i.docId))
  );
  return {
    get current() {
      return ids;
    }
  };
}
