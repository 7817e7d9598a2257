/**
 * A row of the approvals or tasks list as the device keeps it for the lists' indexes
 * (`src/lib/db/portal-rows.ts` projects them): the fields the lists filter and sort by, the
 * documents the row was computed from, and the computed row the screens render. Pure.
 */
export type PortalKind = 'approval' | 'task';

/** Bump when what a row holds or how it is computed changes: every row is computed again. */
export const PORTAL_ROW_VERSION = 1;

export interface PortalRowDoc {
  /** `<kind>|<document id>`. */
  key: string;
  /** `waiting`: children (decisions, steps) whose document is not on the device yet; no list shows it. */
  kind: PortalKind | 'waiting';
  id: string;
  /** The document's own type (`order`, `invoice`, `prislib`, `task`); '' while waiting. */
  type: string;
  orgId: string;
  /** 1: waits for the signed-in person (an approval step of theirs, a task action). */
  mine: 0 | 1;
  state: string;
  /** The list's order as one string (`portalUrgency`), ties by key. */
  urgency: string;
  /** An invoice's příslib, a sub-task's task; '' for none. */
  parent: string;
  /** A task's issuing department; '' for none. */
  issuedBy: string;
  createdAt: string;
  /** The projection's generation the row was computed in. */
  gen: number;
  source?: Record<string, unknown>;
  children: Record<string, unknown>[];
  /** Ids of the rows hanging on this one: a příslib's invoices, a task's sub-tasks. */
  subs: string[];
  row?: Record<string, unknown>;
}

export const rowKey = (kind: PortalKind, id: string): string => `${kind}|${id}`;

/** Digits mirrored (0↔9): an ISO time sorts newest first in an ascending index. */
const newestFirst = (iso: string): string => iso.replace(/\d/g, (d) => String(9 - Number(d)));

export const portalUrgency = {
  /** What waits for me first, then by due day (none last), then newest (`byUrgency`). */
  approval: (mine: boolean, dueDate: string | undefined, createdAt: string): string =>
    `${mine ? 0 : 1}|${dueDate || '9999'}|${newestFirst(createdAt)}`,
  /** What I may act on first, then by due time (none first, as the list always had it). */
  task: (mine: boolean, dueAt: string | undefined): string => `${mine ? 0 : 1}|${dueAt ?? ''}`
};

/** The lists' order over projected rows: `urgency`, ties by key (the index's own order). */
export const byUrgencyKey = (a: PortalRowDoc, b: PortalRowDoc): number =>
  a.urgency < b.urgency ? -1 : a.urgency > b.urgency ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;

type Obj = Record<string, unknown>;
interface Ref {
  $ref: string;
}
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * The computed row as stored: each of the row's own documents (its document, its decisions or
 * steps) that the row holds again, once or several times (`doc`, `decisions`, `status.current`;
 * `task`, `steps`, `status.steps`), becomes `{ $ref: id }`. A task's row was 5.3 KB, its
 * documents 1.8 KB of it, and the projection's time after a first sync is the time
 * IndexedDB takes to write the rows.
 */
export function packRow(row: object, own: readonly Obj[]): Obj {
  const mine = new Set<unknown>(own);
  const pack = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(pack);
    if (!isObj(x)) return x;
    if (mine.has(x) && typeof x.id === 'string') return { $ref: x.id } satisfies Ref;
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, pack(v)]));
  };
  return pack(row) as Obj;
}

/** The computed row a stored row shows (`packRow` undone), as the screens and filters read it. */
export function viewRowOf<Row>(r: Pick<PortalRowDoc, 'row' | 'source' | 'children'>): Row {
  const own = new Map<string, unknown>([...(r.source ? [r.source] : []), ...r.children].map((d) => [String(d.id), d]));
  const unpack = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(unpack);
    if (!isObj(x)) return x;
    if (typeof x.$ref === 'string' && Object.keys(x).length === 1) return own.get(x.$ref);
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, unpack(v)]));
  };
  return (r.row ? unpack(r.row) : undefined) as Row;
}
