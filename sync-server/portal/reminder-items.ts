/**
 * The server's reading of one person's "my work" for Web Push: the same pure functions the
 * inbox runs on the device (task rows, approval rows, contract reminders), fed from CouchDB
 * instead of RxDB, for the organizations the person's memberships reach. A `ReminderReader`
 * lives for one run and reads each database once however many subscribers share it.
 *
 * Scope: tasks and approval documents of the organizations a person works for or founded
 * (roles that reach every organization, the helpdesk and the administrator, hold no portal
 * steps and are not read there, which keeps a run from reading 280 databases per person);
 * contracts wherever the person's memberships reach, since a contract's responsible person
 * can be the regional helpdesk.
 */
import type nano from 'nano';
import { activeMemberships, orgsInScope, type OrgInfo, type SessionUser } from '../../src/lib/domain/access';
import { ORG_COLLECTIONS, orgDb, regionDb } from '../../src/lib/domain/databases';
import { fromEnvelope } from '../../src/lib/domain/assets/contracts-envelope';
import { contractInboxItems } from '../../src/lib/domain/assets/contracts-inbox';
import type { Contract } from '../../src/lib/domain/assets/contracts';
import { approvalRows, type OrgFinance } from '../../src/lib/domain/portal/approval-view';
import { approvalItems, isoAt, taskItems, type InboxItem } from '../../src/lib/domain/portal/inbox';
import { occasionOf, type ReminderOccasion } from '../../src/lib/domain/portal/push-reminders';
import { ruleSetFromCatalog, type RuleSet } from '../../src/lib/domain/portal/rule-sets';
import { taskRows } from '../../src/lib/domain/portal/task-view';
import { AUTH_DB, userDocId, type UserDoc } from '../auth/users';

type Doc = Record<string, unknown>;

/** Roles whose scope is every organization: no portal steps of their own. */
const REGION_WIDE = new Set(['admin', 'agent', 'contractor', 'izs']);

const plain = (d: Doc): Doc => {
  const out: Doc = {};
  for (const [k, v] of Object.entries(d)) if (!k.startsWith('_')) out[k] = v;
  out.id = d._id;
  return out;
};

const isMissing = (err: unknown) => (err as { statusCode?: number }).statusCode === 404;

export class ReminderReader {
  private readonly dbs = new Map<string, Promise<Doc[]>>();
  private ruleSets: Promise<RuleSet[]> | null = null;
  private finance: Promise<Map<string, OrgFinance>> | null = null;

  constructor(
    private readonly couch: nano.ServerScope,
    private readonly orgs: readonly OrgInfo[]
  ) {}

  /** The signed-in shape of a user, or null when the account is gone or disabled. */
  async user(userId: string): Promise<SessionUser | null> {
    try {
      const u = await this.couch.use<UserDoc>(AUTH_DB).get(userDocId(userId));
      return u.disabled ? null : { id: u.username, name: u.name, memberships: u.memberships ?? [] };
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  /** Every occasion waiting on the person now (tasks, documents at their step, contracts). */
  async occasions(user: SessionUser, now: Date): Promise<ReminderOccasion[]> {
    const active = activeMemberships(user, now);
    const portalOrgs = new Map<string, OrgInfo>();
    const anyOrgs = new Map<string, OrgInfo>();
    for (const m of active) {
      for (const o of orgsInScope(m, this.orgs)) {
        anyOrgs.set(o.id, o);
        if (!REGION_WIDE.has(m.role)) portalOrgs.set(o.id, o);
      }
    }
    const ctx = { userId: user.id, now };
    const out: ReminderOccasion[] = [];
    const add = (items: InboxItem[], round?: (i: InboxItem) => number | undefined) => {
      for (const i of items) {
        const o = occasionOf(i, round?.(i));
        if (o) out.push(o);
      }
    };

    const finance = await this.financeById();
    const ruleSets = await this.readRuleSets();
    for (const org of portalOrgs.values()) {
      const tasks = await this.read(orgDb(org.id, 'tasks'));
      add(taskItems(taskRows(tasks, [org], user, isoAt(now.getTime())), ctx));
      const docs = await this.read(orgDb(org.id, 'approvals'));
      const rows = approvalRows(docs, ruleSets, [finance.get(org.id) ?? org], user);
      const roundOf = new Map(rows.map((r) => [r.doc.id, r.doc.round]));
      add(approvalItems(rows, ctx), (i) => roundOf.get(i.id));
    }
    for (const org of anyOrgs.values()) {
      const contracts = (await this.contracts(org.id)).filter((c) => c.responsible === user.id);
      if (contracts.length) add(contractInboxItems(contracts, { ...ctx, rules: [] }));
    }
    return out;
  }

  /** Contract records of an organization: in its asset register, or its own contracts database where there is one. */
  private async contracts(orgId: string): Promise<Contract[]> {
    const names = [orgDb(orgId, 'assets')];
    if ((ORG_COLLECTIONS as readonly string[]).includes('contracts')) names.push(`org_${orgId}_contracts`);
    const out: Contract[] = [];
    for (const name of names)
      for (const d of await this.read(name, 'contract:'))
        if (d.type === 'contract') out.push(fromEnvelope<Contract>(d));
    return out;
  }

  /** All documents of a database (or those under an id prefix), read once per run. */
  private read(db: string, prefix?: string): Promise<Doc[]> {
    const key = `${db}\u0000${prefix ?? ''}`;
    let p = this.dbs.get(key);
    if (!p) {
      p = this.couch
        .use<Doc>(db)
        .list({ include_docs: true, ...(prefix ? { startkey: prefix, endkey: `${prefix}\ufff0` } : {}) })
        .then((res) =>
          res.rows.flatMap((r) =>
            r.doc && !r.id.startsWith('_design/') && !(r.doc as Doc)._deleted ? [plain(r.doc as Doc)] : []
          )
        )
        .catch((err: unknown) => (isMissing(err) ? [] : Promise.reject(err)));
      this.dbs.set(key, p);
    }
    return p;
  }

  private readRuleSets(): Promise<RuleSet[]> {
    this.ruleSets ??= this.read(regionDb('catalog')).then((docs) =>
      docs.flatMap((d) => {
        const rs = ruleSetFromCatalog(d);
        return rs ? [rs] : [];
      })
    );
    return this.ruleSets;
  }

  /** Organizations with their finance flags (kept in `region_orgs`, not in the access list). */
  private financeById(): Promise<Map<string, OrgFinance>> {
    this.finance ??= this.read(regionDb('orgs')).then((docs) => {
      const out = new Map<string, OrgFinance>();
      for (const o of this.orgs) {
        const d = docs.find((x) => x.id === o.id) ?? {};
        out.set(o.id, {
          ...o,
          allowBudgetAccountantSamePerson: d.allowBudgetAccountantSamePerson === true,
          invoicesNeedBudget: d.invoicesNeedBudget === true
        });
      }
      return out;
    });
    return this.finance;
  }
}
