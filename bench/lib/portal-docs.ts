/**
 * The demo's approvals and tasks, and copies of them under new ids, for the bench scenarios
 * and diagnose scripts that need many of them. A copy keeps every reference (a decision's or a
 * step's parent, an invoice's příslib, a task's issue) inside the copy, and a child's id keeps
 * its parent's id as its prefix, as the gateway's rules want.
 */
import { portalSamples } from '../../sync-server/demo/portal';

export type PortalDoc = Record<string, unknown> & { id: string };

/** The documents each list shows a row for; the others (decisions, steps) belong to one of them. */
const LISTED = new Set(['order', 'invoice', 'prislib', 'task']);

/** The demo's documents of `collection`, of one organization or (none given) of all of them. */
export function demoPortalDocs(collection: 'approvals' | 'tasks', org?: string): PortalDoc[] {
  const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
  const samples = portalSamples(at);
  const of = org ? [samples.get(org) ?? []] : [...samples.values()];
  return of.flatMap((cols) => cols.filter((c) => c.collection === collection).flatMap((c) => c.docs));
}

export const listedCount = (docs: readonly PortalDoc[]): number =>
  docs.filter((d) => LISTED.has(String(d.type))).length;

/** As many copies of `docs` as hold at least `wanted` listed documents, and how many they hold. */
export function copiesFor(docs: readonly PortalDoc[], wanted: number): { docs: PortalDoc[]; listed: number } {
  const perCopy = listedCount(docs);
  const n = Math.ceil(wanted / perCopy);
  const parents = docs.filter((d) => LISTED.has(String(d.type))).map((d) => d.id);
  const out: PortalDoc[] = [];
  for (let i = 0; i < n; i++) {
    const rename = (id: string) => {
      const parent = parents.find((p) => id === p || id.startsWith(`${p}:`));
      return parent ? `${parent}-b${i}${id.slice(parent.length)}` : `${id}-b${i}`;
    };
    for (const d of docs) {
      const c: PortalDoc = { ...d, id: rename(d.id) };
      if (typeof d.parentId === 'string') c.parentId = rename(d.parentId);
      if (typeof d.prislibId === 'string') c.prislibId = rename(d.prislibId);
      if (typeof d.number === 'string') c.number = `${d.number}/${i}`;
      if (typeof d.issueId === 'string') c.issueId = `${d.issueId}-b${i}`;
      out.push(c);
    }
  }
  return { docs: out, listed: n * perCopy };
}
