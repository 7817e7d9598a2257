/**
 * An asset's lifecycle: ordered → in stock → in use ⇄ in repair → retired. Moves back and
 * across are allowed where real life needs them (a laptop returned to stock, a repair that
 * ends in stock); nothing leaves `retired`, and nothing enters it without the organization's
 * manager approving the retirement IT asked for.
 */
import type { Role } from '../access';
import type { AssetDoc, AssetState } from '../schemas/assets';
import type { Doc } from '../write-rules';

export const NEXT_STATES: Record<AssetState, readonly AssetState[]> = {
  ordered: ['in_stock', 'in_use', 'retired'],
  in_stock: ['in_use', 'in_repair', 'retired'],
  in_use: ['in_stock', 'in_repair', 'retired'],
  in_repair: ['in_use', 'in_stock', 'retired'],
  retired: []
};

/** Roles that decide a retirement: the organization's manager (and the administrator). */
export const RETIREMENT_DECIDERS: readonly Role[] = ['manager', 'admin'];

type Retirement = AssetDoc['retirement'];

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** A move from `from` to `to` (null `from`: a new asset), or the reason it is not one. */
export function transitionProblem(from: AssetState | null, to: AssetState): string | null {
  if (from === null || from === to) return null;
  if (from === 'retired') return 'a retired asset stays retired';
  return NEXT_STATES[from].includes(to) ? null : `an asset cannot go from ${from} to ${to}`;
}

/**
 * The retirement rules for one role of the writer: who may ask, who may decide, and that the
 * state becomes `retired` only with an approval already stored or given by this writer now.
 */
export function retirementProblem(role: Role, userId: string, before: Doc | null, after: Doc): string | null {
  const was = before?.retirement as Retirement | undefined;
  const now = after.retirement as Retirement | undefined;
  const decides = RETIREMENT_DECIDERS.includes(role);
  if (!same(was, now) && now) {
    const asked = !was || was.reason !== now.reason || was.requestedAt !== now.requestedAt;
    if (asked && now.requestedBy !== userId) return `a retirement request must be made by ${userId}`;
    const decided = now.decision !== undefined && (was?.decision !== now.decision || was?.decidedBy !== now.decidedBy);
    if (decided) {
      if (!decides) return "only the organization's manager decides a retirement";
      if (now.decidedBy !== userId || !now.decidedAt) return `a retirement decision must be signed by ${userId}`;
    }
    if (!decided && now.decision === undefined && (now.decidedBy || now.decidedAt))
      return 'a retirement decision needs its outcome (approved or refused)';
  }
  if (was?.decision && !now) {
    if (!decides) return "only the organization's manager may withdraw a decided retirement";
  }
  const retiring = after.state === 'retired' && before?.state !== 'retired';
  if (retiring) {
    if (now?.decision !== 'approved')
      return "retiring an asset needs the manager's approval: ask for the retirement first";
    const approvedBefore = was?.decision === 'approved' && was.decidedBy === now.decidedBy;
    if (!approvedBefore && !decides) return "only the organization's manager approves a retirement";
  }
  return null;
}
