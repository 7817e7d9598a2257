/**
 * The portal's part of the gateway: before a batch is judged, read what judging tasks and
 * approvals needs (the document and everything under its id, the rule sets, the
 * organization's flags), and hold that database's writes in line until the batch is stored.
 * Holding them in line is what makes "the first decision to reach the server wins" true
 * under concurrent requests: the second batch is judged against the first one's result.
 * One process serves the gateway, so an in-process queue per database is enough.
 */
import type nano from 'nano';
import type { SessionUser } from '../../src/lib/domain/access';
import { regionDb, type DbRef } from '../../src/lib/domain/databases';
import { acceptApprovalWrite, rangesFor, type ApprovalDbState } from '../../src/lib/domain/portal/approval-write';
import {
  ruleSetFromCatalog,
  type FinanceChange,
  type FinanceFlags,
  type RuleSet
} from '../../src/lib/domain/portal/rule-sets';
import { acceptTaskWrite, taskRangeFor, type TaskDbState } from '../../src/lib/domain/portal/task-write';
import type { Doc, WriteContext, WriteHooks } from '../../src/lib/domain/write-rules';
import { KeyedQueue } from '../../src/lib/domain/keyed-queue';

export interface PortalBatch {
  hooks: WriteHooks;
  release(): void;
}

/**
 * `stored`: the stored version of each document of the batch the gateway read (those that name
 * a revision they change; null where none is stored); a document not in it was not read.
 */
export type BeginPortalBatch = (
  ref: DbRef,
  docs: readonly unknown[],
  stored?: ReadonlyMap<string, Doc | null>
) => Promise<PortalBatch | null>;

const isObj = (d: unknown): d is Doc => !!d && typeof d === 'object' && !Array.isArray(d);
const plain = (d: Doc): Doc => {
  const out: Doc = {};
  for (const [k, v] of Object.entries(d)) if (!k.startsWith('_')) out[k] = v;
  out.id = d._id;
  return out;
};

/** The region's calendar day: a registration made after midnight in Plzeň is dated that day. */
export const pragueDay = (now = new Date()) =>
  new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Prague',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit'
  }).format(now);

async function readRanges(couch: nano.ServerScope, db: string, roots: Iterable<string>): Promise<Map<string, Doc>> {
  const out = new Map<string, Doc>();
  const scope = couch.use<Doc>(db);
  for (const root of new Set(roots)) {
    const res = await scope.list({ startkey: root, endkey: `${root}\ufff0`, include_docs: true });
    for (const r of res.rows) if (r.doc && !(r.doc as Doc)._deleted) out.set(r.id, plain(r.doc as Doc));
  }
  return out;
}

async function readRuleSets(couch: nano.ServerScope): Promise<RuleSet[]> {
  const res = await couch.use<Doc>(regionDb('catalog')).list({ include_docs: true });
  return res.rows.flatMap((r) => {
    const rs = r.doc ? ruleSetFromCatalog(plain(r.doc as Doc)) : null;
    return rs ? [rs] : [];
  });
}

async function readFlags(couch: nano.ServerScope, orgId: string): Promise<FinanceFlags> {
  try {
    const org = await couch.use<Doc>(regionDb('orgs')).get(orgId);
    return {
      allowBudgetAccountantSamePerson: org.allowBudgetAccountantSamePerson === true,
      invoicesNeedBudget: org.invoicesNeedBudget === true,
      ...(Array.isArray(org.financeHistory) ? { financeHistory: org.financeHistory as FinanceChange[] } : {})
    };
  } catch {
    return {};
  }
}

function departmentOf(user: SessionUser, founder: string | undefined): string | undefined {
  const deps = user.memberships.filter((m) => m.role === 'founder' && m.department).map((m) => m.department!);
  return deps.find((d) => d === founder) ?? deps[0];
}

export function portalGatewayHooks(
  couch: () => nano.ServerScope,
  now: () => Date = () => new Date()
): BeginPortalBatch {
  const queue = new KeyedQueue();
  return async (ref, docs) => {
    if (ref.kind !== 'org' || (ref.collection !== 'approvals' && ref.collection !== 'tasks')) return null;
    const release = await queue.acquire(ref.name);
    try {
      const written = docs.filter(isObj).map((d) => ({ ...plain(d), id: d._id }));
      if (ref.collection === 'approvals') {
        const state: ApprovalDbState = {
          ruleSets: await readRuleSets(couch()),
          flags: await readFlags(couch(), ref.orgId),
          today: pragueDay(now()),
          related: await readRanges(couch(), ref.name, written.flatMap(rangesFor))
        };
        const check = (ctx: WriteContext) =>
          acceptApprovalWrite({ userId: ctx.user.id, roles: ctx.roles, before: ctx.before, after: ctx.after }, state)
            ?.reason ?? null;
        return { hooks: { checkPortalWrite: check }, release };
      }
      const state: TaskDbState = {
        org: undefined,
        related: await readRanges(couch(), ref.name, written.map(taskRangeFor))
      };
      const check = (ctx: WriteContext) => {
        state.org = ctx.org;
        const actor = { userId: ctx.user.id, roles: ctx.roles, department: departmentOf(ctx.user, ctx.org?.founder) };
        return acceptTaskWrite({ actor, before: ctx.before, after: ctx.after }, state)?.reason ?? null;
      };
      return { hooks: { checkPortalWrite: check }, release };
    } catch (err) {
      release();
      throw err;
    }
  };
}
