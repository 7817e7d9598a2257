/**
 * What a manager's answer to one stocktake proposal writes: always the decision record, and
 * when confirmed, the register change with its history entry. A missing asset is retired
 * (the manager confirming the manko is the retirement's approval), a moved one gets its new
 * site and room, a surplus item the register lacks becomes a new asset in use. Surplus that
 * the register knows but not as present (retired) or that belongs to another organization is
 * only recorded: a retired asset stays retired, and another organization's register is theirs.
 */
import type { AssetDoc } from '../schemas/assets';
import { historyEntry, newAsset, withAssetKeys } from './build';
import { inventoryNoProblem } from './ids';
import { newDecision, type DecisionDoc } from './stocktake-docs';
import type { Proposal } from './stocktake-soupis';

export interface ApplyInput {
  orgId: string;
  stocktakeId: string;
  stocktakeName: string;
  userId: string;
  proposal: Proposal;
  decision: 'confirmed' | 'rejected';
  /** The register's asset the proposal names (missing, moved), as stored on the device. */
  asset?: AssetDoc;
  /** Name of a new asset made from a surplus item. */
  newAssetName: string;
  now?: Date;
}

export interface ApplyResult {
  decision: DecisionDoc;
  asset?: AssetDoc;
  history?: ReturnType<typeof historyEntry>;
}

export type ApplyError = { problem: string };

const pragueDay = (d: Date) =>
  new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Prague',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit'
  }).format(d);

export function applyProposal(input: ApplyInput): ApplyResult | ApplyError {
  const { proposal: p, userId, orgId } = input;
  const now = input.now ?? new Date();
  const at = now.toISOString();
  const decision = newDecision({
    orgId,
    userId,
    now,
    stocktakeId: input.stocktakeId,
    proposal: p.key,
    kind: p.kind,
    decision: input.decision,
    inventoryNo: p.inventoryNo,
    assetId: 'assetId' in p ? p.assetId : undefined
  });
  if (input.decision === 'rejected') return { decision };
  const reason = `${input.stocktakeName} (${input.stocktakeId})`;
  const history = (a: Pick<AssetDoc, 'id' | 'orgId'>, changes: { field: string; from?: string; to?: string }[]) =>
    historyEntry(a, 'stocktake', changes, userId, now, reason);
  const edited = (a: AssetDoc, fields: Partial<AssetDoc>): AssetDoc =>
    withAssetKeys({
      ...a,
      ...fields,
      fieldTimes: { ...(a.fieldTimes ?? {}), ...Object.fromEntries(Object.keys(fields).map((f) => [f, at])) },
      updatedBy: userId,
      updatedAt: at
    }) as AssetDoc;

  switch (p.kind) {
    case 'missing': {
      const a = input.asset;
      if (!a) return { problem: 'the asset is no longer in the register on this device' };
      if (a.state === 'retired') return { decision };
      const asset = edited(a, {
        state: 'retired',
        stateSince: pragueDay(now),
        stateReason: `Manko: ${reason}`.slice(0, 500),
        retirement: {
          reason: `Manko: ${reason}`.slice(0, 500),
          requestedBy: userId,
          requestedAt: at,
          decision: 'approved',
          decidedBy: userId,
          decidedAt: at
        }
      });
      return { decision, asset, history: history(a, [{ field: 'state', from: a.state, to: 'retired' }]) };
    }
    case 'moved': {
      const a = input.asset;
      if (!a) return { problem: 'the asset is no longer in the register on this device' };
      const fields: Partial<AssetDoc> = { lastSeenAt: at };
      const changes = [];
      if (p.toSite && p.toSite !== a.site) {
        fields.site = p.toSite;
        changes.push({ field: 'site', from: a.site ?? '', to: p.toSite });
      }
      if (p.room && p.room !== a.room) {
        fields.room = p.room;
        changes.push({ field: 'room', from: a.room ?? '', to: p.room });
      }
      return { decision, asset: edited(a, fields), history: history(a, changes) };
    }
    case 'surplus': {
      if (p.foreignOrg || p.assetId) return { decision };
      const problem = inventoryNoProblem(orgId, p.inventoryNo);
      if (problem) return { problem };
      const asset = newAsset(
        orgId,
        {
          inventoryNo: p.inventoryNo,
          kind: 'other',
          name: input.newAssetName.slice(0, 200),
          state: 'in_use',
          ...(p.site ? { site: p.site } : {}),
          ...(p.room ? { room: p.room } : {}),
          stateSince: pragueDay(now),
          note: `Přebytek: ${reason}`.slice(0, 2000),
          lastSeenAt: at
        },
        userId,
        now
      );
      return { decision, asset, history: history(asset, [{ field: 'state', to: 'in_use' }]) };
    }
  }
}

/** The decisions already taken, by proposal key. */
export function decidedKeys(decisions: readonly DecisionDoc[]): Map<string, DecisionDoc> {
  return new Map(decisions.map((d) => [d.data.proposal, d]));
}
