/**
 * The server's reading of one person's "my work" for Web Push: the same pure functions the
 * inbox runs on the device (task rows, approval rows, contract reminders), fed from CouchDB
 * instead of RxDB, for the organizations the person's memberships reach. A `ReminderReader`
 * keeps what it read (each database once however many subscribers share it) until the change
 * notifier names that database (`invalidate`): a run after nothing changed reads nothing.
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
import { deadlineMs } from '../../src/lib/domain/portal/reminders';
import { occasionOf, type ReminderOccasion } from '../../src/lib/domain/portal/push-reminders';
import { ruleSetFromCatalog, type RuleSet } from '../../src/lib/domain/portal/rule-sets';
import { taskRows } from '../../src/lib/domain/portal/task-view';
import { activeUserDocs, AUTH_DB } from '../auth/users';
import { isMissing } from '../couch-status';

type Doc = Record<string, unknown>;

/** Roles whose scope is every organization: no portal steps of their own. */
const REGION_WIDE = new Set(['admin', 'agent', 'contractor', 'izs']);

const plain = (d: Doc): Doc => {
  const out: Doc = {};
  for (const [k, v] of Object.entries(d)) if (!k.startsWith('_')) out[k] = v;
  out.id = d._id;
  return out;
};

const CATALOG_DB = regionDb('catalog');
const ORGS_DB = regionDb('orgs');

export class ReminderReader {
  private readonly dbs = new Map<string, Promise<Doc[]>>();
  private readonly users = new Map<string, SessionUser | null>();
  /** Counts forgettings of the users, so a reading that crossed one is not kept. */
  private usersRead = 0;
  private readonly ruleSets = new WeakMap<Doc[], RuleSet[]>();

  constructor(
    private readonly couch: nano.ServerScope,
    private readonly orgs: () => readonly OrgInfo[]
  ) {}

  /** Forgets what was read of these databases; true when anything was. */
  invalidate(names: readonly string[]): boolean {
    const named = new Set(names);
    let dropped = false;
    for (const key of [...this.dbs.keys()])
      if (named.has(key.split('\u0000')[0])) dropped = this.dbs.delete(key) || dropped;
    if (named.has(AUTH_DB)) {
      this.usersRead++;
      dropped = this.users.size > 0 || dropped;
      this.users.clear();
    }
    return dropped;
  }

  /** The signed-in shape of each user (null when the account is gone or disabled), in one request for those not known. */
  async signedIn(userIds: readonly string[]): Promise<Map<string, SessionUser | null>> {
    const out = new Map(userIds.map((id) => [id, this.users.get(id) ?? null]));
    const missing = userIds.filter((id) => !this.users.has(id));
    if (!missing.length) return out;
    const gen = this.usersRead;
    const docs = await activeUserDocs(this.couch, missing);
    missing.forEach((id, i) => {
      const u = docs[i];
      const user = u ? { id: u.username, name: u.name, memberships: u.memberships ?? [] } : null;
      out.set(id, user);
      if (gen === this.usersRead) this.users.set(id, user);
    });
    return out;
  }

  /**
   * Every occasion waiting on the person now (tasks, documents at their step, contracts), and
   * the next instant after `now` at which one of the person's deadlines passes (the clock
   * alone changes what is due then; Infinity when none).
   */
  async occasions(user: SessionUser, now: Date): Promise<{ occasions: ReminderOccasion[]; next: number }> {
    const active = activeMemberships(user, now);
    const portalOrgs = new Map<string, OrgInfo>();
    const anyOrgs = new Map<string, OrgInfo>();
    for (const m of active) {
      for (const o of orgsInScope(m, this.orgs())) {
        anyOrgs.set(o.id, o);
        if (!REGION_WIDE.has(m.role)) portalOrgs.set(o.id, o);
      }
    }
    const ctx = { userId: user.id, now };
    const out: ReminderOccasion[] = [];
    let next = Infinity;
    const add = (items: InboxItem[], round?: (i: InboxItem) => number | undefined) => {
      for (const i of items) {
        const o = occasionOf(i, round?.(i));
        if (o) out.push(o);
        const due = i.due ? deadlineMs(i.due) : NaN;
        if (due > now.getTime() && due < next) next = due;
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
    return { occasions: out, next };
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
        .catch((err: unknown) => {
          if (isMissing(err)) return [];
          this.dbs.delete(key); // a failed read is tried again, not kept
          return Promise.reject(err);
        });
      this.dbs.set(key, p);
    }
    return p;
  }

  /** Rule sets of the catalog, worked out once per reading of it. */
  private async readRuleSets(): Promise<RuleSet[]> {
    const docs = await this.read(CATALOG_DB);
    let sets = this.ruleSets.get(docs);
    if (!sets) {
      sets = docs.flatMap((d) => {
        const rs = ruleSetFromCatalog(d);
        return rs ? [rs] : [];
      });
      this.ruleSets.set(docs, sets);
    }
    return sets;
  }

  /** Organizations with their finance flags (kept in `region_orgs`, not in the access list). */
  private async financeById(): Promise<Map<string, OrgFinance>> {
    const docs = await this.read(ORGS_DB);
    const out = new Map<string, OrgFinance>();
    for (const o of this.orgs()) {
      const d = docs.find((x) => x.id === o.id) ?? {};
      out.set(o.id, {
        ...o,
        allowBudgetAccountantSamePerson: d.allowBudgetAccountantSamePerson === true,
        invoicesNeedBudget: d.invoicesNeedBudget === true
      });
    }
    return out;
  }
}
