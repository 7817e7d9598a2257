/**
 * Live portal data for the screens: the approvals and tasks collections (every organization
 * the user reads), the rule sets and the organizations, turned into rows by the pure views
 * in `$lib/domain/portal`. Works offline: everything comes from the device's database.
 */
import type { RxCollection, RxDocument } from 'rxdb';
import type { Observable } from 'rxjs';
import { regionDocs } from '$lib/ui/collections';
import { approvalRows, type OrgFinance } from '$lib/domain/portal/approval-view';
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

/** `null`: a collection the screen does not need (nothing is read). */
export function liveDocs(name: OrgCollectionName | RegionName | null) {
  return live(() => {
    const db = session.db;
    if (!db || !name) return null;
    if (name === 'approvals' || name === 'tasks') return col(name)?.find().$;
    return regionDocs(db, name) as unknown as Observable<RxDocument<Doc>[]>;
  }, [] as RxDocument<Doc>[]);
}

/** Which of the two organization collections a screen shows (each is read whole). */
export interface PortalNeeds {
  approvals: boolean;
  tasks: boolean;
}

const BOTH: PortalNeeds = { approvals: true, tasks: true };

/**
 * `needs`: an approvals screen reads no task and a tasks screen no approval (each collection
 * is read whole, every document, on every change); the inbox shows both.
 */
export function portalData(needs: PortalNeeds = BOTH) {
  const approvals = liveDocs(needs.approvals ? 'approvals' : null);
  const tasks = liveDocs(needs.tasks ? 'tasks' : null);
  const orgs = liveDocs('orgs');
  // The rule sets: only the approvals' state needs them.
  const catalog = liveDocs(needs.approvals ? 'catalog' : null);
  const people = liveDocs('people');
  const ruleSets = $derived(plain(catalog.current).flatMap((d) => ruleSetFromCatalog(d) ?? []) as RuleSet[]);
  const orgList = $derived(plain(orgs.current) as unknown as (OrgFinance & { name: string; shortName: string })[]);
  // Records still on the device (unsent or refused): the others are placed by server time.
  const pending = live(() => session.db?.pending.list$, []);
  const rejected = live(() => session.db?.rejected.list$, []);
  const unsentOf = (c: string) =>
    new SvelteSet([...pending.current, ...rejected.current].filter((i) => i.collectionName === c).map((i) => i.docId));
  const unsentApprovals = $derived(unsentOf('approvals'));
  const unsentTasks = $derived(unsentOf('tasks'));
  const rows = $derived(
    session.me ? approvalRows(plain(approvals.current), ruleSets, orgList, session.me.user, unsentApprovals) : []
  );
  const taskDocs = $derived(plain(tasks.current));
  const personName = $derived(new SvelteMap(plain(people.current).map((p) => [String(p.id), String(p.name)])));
  return {
    get rows() {
      return rows;
    },
    get tasks() {
      return taskDocs;
    },
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
      return (
        orgs.loaded && (!needs.approvals || (approvals.loaded && catalog.loaded)) && (!needs.tasks || tasks.loaded)
      );
    },
    orgName(id: string) {
      return orgList.find((o) => o.id === id)?.shortName ?? id;
    },
    person(id: string | undefined) {
      return id ? (personName.get(id) ?? id) : '';
    }
  };
}

export type PortalData = ReturnType<typeof portalData>;

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
