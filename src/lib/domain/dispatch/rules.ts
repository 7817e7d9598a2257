/**
 * Write rules of the winter module, enforced by the gateway (through `write-rules.ts`) and
 * readable by the client. The deník zimní údržby is evidence in damage-liability cases, so
 * its entries, alerts and IZS hand-offs and receipts are append-only for everyone, the
 * administrator included: never edited, never deleted; a correction is a later entry that
 * refers to the earlier one. Each entry is written under its author's own name, within the
 * region, on a section that exists; a crew records only its own kinds of entries; only a
 * dispatcher alerts or hands over; IZS confirms a hand-off once (the receipt's id is fixed by
 * the hand-off's, so a second receipt is an edit of the first and is refused).
 */
import type { Role } from '../access';
import { checkSectionPath } from '../admin/section-input';
import type { WriteContext } from '../write-rules';
import { CREW_ENTRY_TYPES, checkEntryShape } from './entry-types';
import { inRegion, type LatLon } from './geo';
import type { SectionRef } from './types';

type Doc = Record<string, unknown>;

export interface WinterHooks {
  /** Road sections by id as the server knows them now; undefined skips the check. */
  winterSections?: () => ReadonlyMap<string, Pick<SectionRef, 'district' | 'order' | 'unmaintained'>> | undefined;
  /**
   * Who wrote a deník entry (null: no such entry), read by the server before a batch with
   * corrections (`sync-server/dispatch/correction-batch.ts`); undefined skips the check.
   */
  entryAuthor?: (entryId: string) => string | null;
}

/** The id of IZS's receipt of a hand-off: one per hand-off, by construction. */
export const receiptIdFor = (handoffId: string): string => `receipt:${handoffId}`.slice(0, 100);

const has = (roles: readonly Role[], ...wanted: Role[]) => roles.some((r) => wanted.includes(r));

/** Equal apart from the server's stamp: a re-sent copy of a stored entry, not an edit. */
function sameRecord(a: Doc, b: Doc): boolean {
  const strip = (d: Doc) =>
    JSON.stringify(
      Object.keys(d)
        .filter((k) => k !== 'receivedAt')
        .sort()
        .map((k) => [k, d[k]])
    );
  return strip(a) === strip(b);
}

/** Append-only: a new record, an identical re-send, or a never-stored offline tombstone. */
function appendOnly(ctx: WriteContext, what: string): string | null | undefined {
  const { before, after, deleted, user } = ctx;
  if (deleted) {
    return !before && after.createdBy === user.id
      ? null
      : `${what} is never deleted, by anyone; record a correction that refers to it`;
  }
  if (!before) return undefined;
  if (sameRecord(before, after)) return null;
  return `${what} ${String(before.id)} was recorded by ${String(before.createdBy)} and cannot be changed; record a correction that refers to it`;
}

function checkPosition(doc: Doc): string | null {
  if (typeof doc.lat !== 'number' || typeof doc.lon !== 'number') return null;
  const p: LatLon = [doc.lat, doc.lon];
  return inRegion(p) ? null : `position ${doc.lat.toFixed(4)}, ${doc.lon.toFixed(4)} is outside the Plzeň Region`;
}

function checkDispatchEntry(ctx: WriteContext, hooks: WinterHooks): string | null {
  const { roles, user, after } = ctx;
  if (!has(roles, 'dispatcher', 'crew', 'admin')) return `${roles[0] ?? 'you'} may not write the deník`;
  const kept = appendOnly(ctx, 'a deník entry');
  if (kept !== undefined) return kept;
  if (after.createdBy !== user.id) return `an entry is recorded under your own name (${user.id})`;
  const type = String(after.entry);
  if (!has(roles, 'dispatcher', 'admin') && !(CREW_ENTRY_TYPES as readonly string[]).includes(type))
    return `a road crew records reports, treatments, positions and corrections, not a ${type}`;
  const shape = checkEntryShape(after);
  if (shape) return shape;
  // A correction closes what it names on the board: a crew closes only its own entries.
  if (type === 'correction' && !has(roles, 'dispatcher', 'admin') && hooks.entryAuthor) {
    const author = hooks.entryAuthor(String(after.refId));
    if (author !== user.id) return 'a road crew corrects only its own entries';
  }
  const where = checkPosition(after);
  if (where) return where;
  const sections = hooks.winterSections?.();
  if (sections && typeof after.sectionId === 'string') {
    const s = sections.get(after.sectionId);
    if (!s) return `road section ${after.sectionId} does not exist`;
    if (s.district !== after.district)
      return `road section ${after.sectionId} is in district ${s.district}, not ${String(after.district)}`;
  }
  return null;
}

function checkAlert(ctx: WriteContext): string | null {
  const kept = appendOnly(ctx, 'an alert');
  if (kept !== undefined) return kept;
  return has(ctx.roles, 'dispatcher') ? null : 'only a dispatcher sends winter alerts';
}

function checkIzs(ctx: WriteContext): string | null {
  const { after, before, roles } = ctx;
  if (before && after.entry === 'receipt' && !sameRecord(before, after) && !ctx.deleted)
    return `hand-off ${String(before.handoffId)} was already confirmed by ${String(before.createdBy)} at ${String(before.receivedAt ?? before.createdAt)}`;
  const kept = appendOnly(ctx, after.entry === 'receipt' ? 'a receipt' : 'a hand-off');
  if (kept !== undefined) return kept;
  if (after.entry === 'handoff') {
    if (!has(roles, 'dispatcher', 'admin')) return 'only a dispatcher hands information over to IZS';
    if (!after.title) return 'a hand-off needs a short message (title)';
    return checkPosition(after);
  }
  if (!has(roles, 'izs')) return 'only the rescue system (IZS) confirms receipt of a hand-off';
  if (typeof after.handoffId !== 'string') return 'a receipt names the hand-off it confirms (handoffId)';
  if (after.id !== receiptIdFor(after.handoffId))
    return `the receipt of hand-off ${after.handoffId} must have id ${receiptIdFor(after.handoffId)}`;
  return null;
}

function checkSection(ctx: WriteContext): string | null {
  if (!has(ctx.roles, 'dispatcher', 'admin')) return 'only a dispatcher or an administrator edits road sections';
  if (ctx.deleted)
    return has(ctx.roles, 'admin') ? null : 'road sections are not deleted; mark a section as not maintained instead';
  // A new or redrawn route meets the same checks as the administration's drawing screen.
  const redrawn =
    !ctx.before ||
    JSON.stringify(ctx.before.path) !== JSON.stringify(ctx.after.path) ||
    ctx.before.district !== ctx.after.district;
  const problem = redrawn ? checkSectionPath(ctx.after.path, String(ctx.after.district ?? ''))[0] : undefined;
  if (problem) return `the section's route: ${problem.reason}`;
  const path = Array.isArray(ctx.after.path) ? (ctx.after.path as [number, number][]) : [];
  const outside = path.find((p) => !inRegion(p));
  return outside ? `point ${outside.join(', ')} of the section lies outside the Plzeň Region` : null;
}

function checkPlan(ctx: WriteContext): string | null {
  if (!has(ctx.roles, 'dispatcher', 'admin')) return 'only a dispatcher or an administrator changes the operating plan';
  const kept = appendOnly(ctx, 'an operating plan');
  if (kept !== undefined)
    return kept === null ? null : `${kept.split(';')[0]}; add a new plan valid from a date instead`;
  return typeof ctx.after.validFrom === 'string'
    ? null
    : 'an operating plan needs the date it is valid from (validFrom)';
}

/**
 * The winter module's verdict on a write, or `undefined` when the write is not the module's
 * (then the general rules decide).
 */
export function checkWinterWrite(ctx: WriteContext, hooks: WinterHooks = {}): string | null | undefined {
  const { db } = ctx;
  if (db.kind === 'org') return db.collection === 'dispatch' ? checkDispatchEntry(ctx, hooks) : undefined;
  switch (db.collection) {
    case 'alerts':
      return checkAlert(ctx);
    case 'izs':
      return checkIzs(ctx);
    case 'sections':
      return checkSection(ctx);
    case 'catalog':
      return ctx.after.kind === 'winter-plan' || ctx.before?.kind === 'winter-plan' ? checkPlan(ctx) : undefined;
    default:
      return undefined;
  }
}
