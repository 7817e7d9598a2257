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
