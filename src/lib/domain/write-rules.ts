/**
 * Who may write which document: the per-document half of the role table (the per-database
 * half is `databasesFor`). Pure, so the gateway enforces it and the client can explain a
 * refusal before it syncs. Every check returns `null` (allowed) or a reason a person can read;
 * a user holding several roles in an organization may write when any one of them allows it.
 *
 * Append-only history (`events`, `decisions`) is enforced for every role, admin included:
 * conflicts are merged by appending, so an edited or removed entry would be lost silently.
 */
import { ORG_RIGHTS, type Role, type SessionUser, type OrgInfo } from './access';
import type { DbRef } from './databases';
import { checkAssetIdentity, checkAssetsRole, checkAssetsWrite, isAssetsDb } from './assets/rules';
import { STOCKTAKE, STOCKTAKE_DECISION, STOCKTAKE_SCAN } from './assets/stocktake-docs';
import { RELATION_TYPES } from './assets/contracts-relations';
import { checkWinterWrite, type WinterHooks } from './dispatch/rules';
import { founderMediaShape } from './portal/task-media';
import { IMMUTABLE_FIELDS } from './schemas/common';
import { checkCommentShape, checkNoCommentEvents } from './tickets/comments';
import { checkNoNoteEvents, checkNoteWrite } from './tickets/notes';

export type Doc = Record<string, unknown>;

export interface WriteContext {
  user: SessionUser;
  /** Roles the user holds in the database's organization (for region databases: all roles). */
  roles: readonly Role[];
  db: DbRef;
  /** The organization of an org database, when known. */
  org?: OrgInfo;
  /** The stored document (without `_` fields), or null when it is new. */
  before: Doc | null;
  /** The document as it would be stored (primary key set, `_` fields removed). */
  after: Doc;
  /** The write deletes the document. */
  deleted?: boolean;
}

/** The ticket lifecycle (who may make which status transition), supplied by its own module. */
export type TicketChangeCheck = (
  user: SessionUser,
  roles: readonly Role[],
  before: Doc | null,
  after: Doc,
  assigneeRoles?: (userId: string) => readonly Role[] | null | undefined
) => string | null;

export interface WriteHooks extends WinterHooks {
  checkTicketChange?: TicketChangeCheck;
  /**
   * The roles each person a batch's tickets are assigned to holds in the organization (null:
   * no active account; undefined: not looked up, as no document named them as its assignee),
   * read by the server for the batch: a ticket may be named only to someone who can work it.
   * Without it, the assignee is not checked (a device's own check).
   */
  assigneeRoles?: (userId: string) => readonly Role[] | null | undefined;
  /**
   * Tasks and approvals (the portal): who may take which step depends on other documents
   * (a task's steps, a document's decisions, the rule set), which only the server holds in
   * full; the gateway supplies the check (`portal/` on both sides). Without it, refused.
   */
  checkPortalWrite?: (ctx: WriteContext) => string | null;
  /**
   * Licence seats, phone numbers and ranges: judged against other records (the agreement's
   * seats in every organization, the organization's ranges) that only the server reads in
   * full; the gateway supplies the check (`sync-server/contracts/`). Without it, refused.
   */
  checkAssetRelations?: (ctx: WriteContext) => string | null;
  /**
   * Ticket comments: whether the writer may add to the ticket depends on the ticket as the
   * server holds it (`tickets/comments.ts`); the gateway supplies the check. Without it, refused.
   */
  checkCommentWrite?: (ctx: WriteContext) => string | null;
  /** Stocktake scans and decisions against their stored stocktake (server only: `sync-server/stocktake/`). */
  checkStocktakeParent?: (ctx: WriteContext) => string | null;
  /** A founding department's file against the task it names (`portal/task-media.ts`; server only). */
  checkFounderMedia?: (ctx: WriteContext) => string | null;
}

type RoleRule = (ctx: WriteContext) => string | null;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const arr = (v: unknown): Doc[] => (Array.isArray(v) ? (v as Doc[]) : []);
/** Deep equality of JSON values, independent of key order. */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && same((a as Doc)[k], (b as Doc)[k]));
}
/** The stored state decides for edits, the proposed state for new documents. */
const current = (ctx: WriteContext): Doc => ctx.before ?? ctx.after;

/**
 * Entries of an append-only list: every stored entry still present, unchanged; new entries
 * recorded by the writer. Entries are matched by id, since a merge may sort offline entries
 * in among stored ones.
 */
export function checkAppendOnly(field: string, user: SessionUser, before: Doc | null, after: Doc): string | null {
  const entries = arr(after[field]);
  const stored = arr(before?.[field]);
  if (entries.length === 0 && stored.length === 0) return null;
  const next = new Map(entries.map((e, i) => [str(e?.id) ?? `#${i}`, e]));
  const oldIds = new Set<string>();
  for (const [i, e] of stored.entries()) {
    const id = str(e?.id) ?? `#${i}`;
    oldIds.add(id);
    const now = next.get(id);
    if (!now) return `${field} are append-only: entry ${id} may not be removed`;
    if (!same(now, e)) return `${field} are append-only: entry ${id} may not be changed`;
  }
  for (const [id, e] of next) {
    if (!oldIds.has(id) && e?.by !== user.id) return `new ${field} entry ${id} must be recorded by ${user.id}`;
  }
  return null;
}

/** Audit fields: `orgId` is the database's, immutable fields unchanged, the writer recorded. */
export function checkAudit(ctx: WriteContext): string | null {
  const { user, db, before, after } = ctx;
  if (db.kind === 'org' && after.orgId !== db.orgId) return `orgId must be ${db.orgId} (this database's organization)`;
  if (db.kind === 'org' && isAssetsDb(db.collection) && !ctx.deleted) {
    const r = checkAssetIdentity(before, after);
    if (r) return r;
  }
  if (before) {
    for (const f of IMMUTABLE_FIELDS) {
      if (f in before && !same(before[f], after[f])) return `${f} may not change (it was ${JSON.stringify(before[f])})`;
    }
  }
  // Who may delete is `checkWrite`'s question; a client removing a document need not restamp it.
  if (ctx.deleted) return null;
  if (!before && after.createdBy !== user.id) {
    return `createdBy of a new document must be ${user.id}`;
  }
  if (after.updatedBy !== user.id) return `updatedBy must be ${user.id}`;
  return null;
}

function ticketRule(role: Role): RoleRule {
  switch (role) {
    case 'requester':
      return (ctx) => {
        const t = current(ctx);
        return t.createdBy === ctx.user.id || t.requester === ctx.user.id
          ? null
          : 'requesters may change only their own tickets';
      };
    case 'contractor':
      return (ctx) => {
        if (!ctx.before) return 'contractors work on existing tickets only';
        const a = ctx.before.assignee as { queue?: string; userId?: string } | undefined;
        if (a?.userId === ctx.user.id) return null;
        if (a?.queue === 'contractor' && !a.userId) return null;
        return 'contractors may change only tickets assigned to them or waiting in the contractor queue';
      };
    default:
      return () => null;
  }
}

function dispatchRule(role: Role): RoleRule {
  if (role !== 'crew') return () => null;
  return (ctx) =>
    ctx.after.entry === 'report' && current(ctx).createdBy === ctx.user.id
      ? null
      : 'road crews may write only their own reports (entry "report")';
}

function mediaRule(role: Role): RoleRule {
  if (role === 'admin' || role === 'agent') return () => null;
  const own: RoleRule = (ctx) =>
    current(ctx).createdBy === ctx.user.id ? null : 'only who uploaded a file may change it';
  if (role === 'founder') return (ctx) => own(ctx) ?? founderMediaShape(ctx.after);
  return own;
}

/** Region databases: dispatchers publish alerts and hand-offs; the rescue system confirms receipt. */
function regionRule(role: Role, ctx: WriteContext): string | null {
  const c = ctx.db.collection;
  if (role === 'admin') return null;
  if (role === 'dispatcher' && (c === 'alerts' || c === 'izs')) return null;
  if (role === 'izs' && c === 'izs') {
    return ctx.after.entry === 'receipt' &&
      current(ctx).createdBy === ctx.user.id &&
      (!ctx.before || ctx.before.entry === 'receipt')
      ? null
      : 'the rescue system may write only its own receipts (entry "receipt")';
  }
  return `${role} may not write ${ctx.db.name}`;
}

/**
 * Deletion is an admin's act: history is append-only and closed work stays on record.
 * A creator may delete a document the server has never stored (created and removed offline),
 * which only leaves a tombstone, so that such a write does not block the client's sync.
 */
function checkDelete(ctx: WriteContext): string | null {
  if (ctx.roles.includes('admin')) return null;
  if (!ctx.before && ctx.after.createdBy === ctx.user.id) return null;
  return 'only an administrator may delete documents';
}

function roleRule(role: Role, ctx: WriteContext): string | null {
  const { db } = ctx;
  if (db.kind === 'region') return regionRule(role, ctx);
  if (role === 'izs' || !ORG_RIGHTS[role].write.includes(db.collection))
    return `${role} may not write ${db.collection}`;
  switch (db.collection) {
    case 'tickets':
      return ticketRule(role)(ctx);
    case 'dispatch':
      return dispatchRule(role)(ctx);
    case 'media':
    case 'contractscans':
      return mediaRule(role)(ctx);
    case 'notes':
      return checkNoteWrite(role, ctx);
    case 'assets':
    case 'contracts':
      return checkAssetsRole(role, ctx);
    case 'comments':
      return checkCommentShape(ctx);
    default:
      return null;
  }
}

/**
 * Records that are history, by collection: never deleted, an administrator included. Removing
 * a decision reopened a closed round (or unfroze an approved amount), a task's step undid it,
 * a scan or a closed stocktake changed a count that was signed.
 */
const HISTORY_RECORDS: Partial<Record<string, readonly string[]>> = {
  approvals: ['decision'],
  tasks: ['task-step'],
  assets: [STOCKTAKE_SCAN, STOCKTAKE_DECISION]
};

function checkHistoryDelete(ctx: WriteContext): string | null {
  const { db, before } = ctx;
  if (db.kind !== 'org' || !before) return null;
  if (HISTORY_RECORDS[db.collection]?.includes(String(before.type)))
    return `a ${String(before.type)} record is history and is never deleted, not even by an administrator`;
  if (db.collection === 'assets' && before.type === STOCKTAKE && before.state === 'closed')
    return 'a closed stocktake is never deleted, not even by an administrator';
  return null;
}

/** Role rules, append-only history and (for tickets) the lifecycle; audit fields separately. */
export function checkWrite(ctx: WriteContext, hooks: WriteHooks = {}): string | null {
  const winter = checkWinterWrite(ctx, hooks);
  if (winter !== undefined) return winter;
  if (ctx.deleted) return checkHistoryDelete(ctx) ?? checkDelete(ctx);
  if (ctx.roles.length === 0) return `you have no role in ${ctx.db.name}`;
  if (ctx.db.kind === 'org' && isAssetsDb(ctx.db.collection)) {
    const r = checkAssetsWrite(ctx);
    if (r) return r;
  }
  if (ctx.db.kind === 'org' && ctx.db.collection === 'tickets') {
    const r = checkNoNoteEvents(ctx.before, ctx.after) ?? checkNoCommentEvents(ctx.before, ctx.after);
    if (r) return r;
  }
  for (const field of ['events', 'decisions']) {
    const r = checkAppendOnly(field, ctx.user, ctx.before, ctx.after);
    if (r) return r;
  }
  const reasons = ctx.roles.map((role) => roleRule(role, ctx));
  if (!reasons.includes(null)) return reasons[0] ?? 'not allowed';
  if (
    ctx.db.kind === 'org' &&
    ctx.db.collection === 'media' &&
    ctx.roles.every((r, i) => reasons[i] !== null || r === 'founder')
  )
    return hooks.checkFounderMedia
      ? hooks.checkFounderMedia(ctx)
      : 'files of founding departments can be checked only by the server';
  if (ctx.db.kind === 'org' && ctx.db.collection === 'assets' && hooks.checkStocktakeParent) {
    const r = hooks.checkStocktakeParent(ctx);
    if (r) return r;
  }
  if (ctx.db.kind === 'org' && ctx.db.collection === 'tickets' && hooks.checkTicketChange) {
    return hooks.checkTicketChange(ctx.user, ctx.roles, ctx.before, ctx.after, hooks.assigneeRoles);
  }
  if (ctx.db.kind === 'org' && ctx.db.collection === 'comments') {
    return hooks.checkCommentWrite ? hooks.checkCommentWrite(ctx) : 'comments can be checked only by the server';
  }
  if (ctx.db.kind === 'org' && (ctx.db.collection === 'tasks' || ctx.db.collection === 'approvals')) {
    return hooks.checkPortalWrite
      ? hooks.checkPortalWrite(ctx)
      : `${ctx.db.collection} can be checked only by the server`;
  }
  if (ctx.db.kind === 'org' && ctx.db.collection === 'assets' && RELATION_TYPES.includes(ctx.after.type as never)) {
    return hooks.checkAssetRelations
      ? hooks.checkAssetRelations(ctx)
      : `${String(ctx.after.type)} records can be checked only by the server`;
  }
  return null;
}
