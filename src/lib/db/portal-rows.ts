/**
 * The rows of the approvals and tasks lists, projected into a collection of the device's own
 * (`portalrows`, never synced) with indexes for the lists' filters and orders, so that a list
 * reads the rows it shows and not every document (bench scenario 10: 3.6 s and 5.6 s to the
 * first row at 10,000 documents, almost all of it reading them).
 *
 * A row depends on more than its document: an approval's state on its decisions and the rule
 * sets, a task's on its steps and sub-tasks, "mine" on the person's roles. Each row therefore
 * keeps its document and its children (decisions, steps) as the projector last saw them, and
 * a changed child is merged into its parent's row without reading the rest of the collection.
 * The projector reads the two collections' changes in storage order from a checkpoint kept in
 * a local document (`getChangedDocumentsSince`), so a change made while no projector ran (a
 * reload in the middle of a sync) is taken in on the next start. What all rows depend on (the
 * organizations, the rule sets, the person's memberships) is the projection's basis: when it
 * changes, every document is read again under a new generation and the rows of the old one
 * are removed at the end, so the lists keep showing the old rows meanwhile.
 *
 * Children may arrive before their document (a sync batch in any order): they wait in a row of
 * kind `waiting`, which no list reads.
 */
import {
  getChangedDocumentsSince,
  type RxCollection,
  type RxDatabase,
  type RxJsonSchema,
  type RxStorageInstance
} from 'rxdb';
import { Subject, debounceTime, filter, merge, tap, type Subscription } from 'rxjs';
import type { SessionUser } from '../domain/access';
import type { Decision } from '../domain/portal/approval';
import {
  approvalRowOf,
  withBalance,
  type ApprovalRecord,
  type ApprovalRow,
  type OrgFinance
} from '../domain/portal/approval-view';
import { ruleSetFromCatalog, type RuleSet } from '../domain/portal/rule-sets';
import { taskState, type Task, type TaskStep } from '../domain/portal/task-flow';
import { taskRowOf, type TaskRow } from '../domain/portal/task-view';
import {
  portalUrgency,
  PORTAL_ROW_VERSION,
  rowKey,
  type PortalKind,
  type PortalRowDoc
} from '../domain/portal/portal-row';
import { REGION_KIND_FIELD } from './region';

export const PORTAL_ROWS_COLLECTION = 'portalrows';

const text = (maxLength: number) => ({ type: 'string', maxLength }) as const;

export const portalRowSchema: RxJsonSchema<PortalRowDoc> = {
  version: 0,
  primaryKey: 'key',
  type: 'object',
  properties: {
    key: text(120),
    kind: text(10),
    id: text(100),
    orgId: text(60),
    mine: { type: 'integer', minimum: 0, maximum: 1, multipleOf: 1 },
    state: text(20),
    urgency: text(100),
    parent: text(100),
    issuedBy: text(60),
    createdAt: text(40),
    gen: { type: 'integer', minimum: 0, maximum: 1e9, multipleOf: 1 },
    source: { type: 'object' },
    children: { type: 'array', items: { type: 'object' } },
    row: { type: 'object' }
  },
  required: ['key', 'kind', 'id', 'orgId', 'mine', 'state', 'urgency', 'parent', 'issuedBy', 'createdAt', 'gen'],
  // One index per list order (`portal-row.ts`): "mine" by state, all by state, all, the
  // issuer's tasks, and the children of a row (a příslib's invoices, a task's sub-tasks).
  indexes: [
    ['kind', 'mine', 'state', 'urgency'],
    ['kind', 'state', 'urgency'],
    ['kind', 'urgency'],
    ['kind', 'issuedBy', 'createdAt'],
    'parent'
  ]
};

type Doc = Record<string, unknown>;
type Source = 'approvals' | 'tasks';

/** Read per step of the projection: a step is one write of rows. */
const BATCH = 500;
const META = 'portal-rows';

interface Meta {
  basis: string;
  gen: number;
  /** A rebuild under `gen` is under way: rows of older generations go when it ends. */
  rebuilding: boolean;
  checkpoints: Partial<Record<Source, unknown>>;
}

/** What every row depends on besides its own documents. */
interface Context {
  gen: number;
  user: SessionUser;
  ruleSets: RuleSet[];
  orgs: Map<string, OrgFinance>;
  unsent: ReadonlySet<string>;
  now: string;
}

export interface ProjectorDeps {
  db: RxDatabase;
  rows: RxCollection<PortalRowDoc>;
  approvals: RxCollection;
  tasks: RxCollection;
  region: RxCollection;
  /** The person as now (memberships change while the app runs). */
  user: () => SessionUser;
  /** Ids of approval and task documents not yet accepted by the server (pending or refused). */
  unsent: () => Promise<ReadonlySet<string>>;
}

export interface PortalProjector {
  /** Resolves once every change seen so far is in the rows. */
  idle(): Promise<void>;
  /** Something the basis depends on changed outside the collections (the memberships). */
  refresh(): void;
  stop(): void;
}

const clean = (d: Doc): Doc => {
  const { _meta: _m, _rev: _r, _attachments: _a, _deleted: _d, ...rest } = d;
  return rest;
};

export function startPortalProjector(deps: ProjectorDeps): PortalProjector {
  const { db, rows } = deps;
  const wake = new Subject<void>();
  let stopped = false;
  /** A change was seen and its pass has not started yet (the debounce). */
  let seen = true;
  let running: Promise<void> | null = null;
  let again = false;

  const run = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          seen = false;
          await pass();
        } while (again && !stopped);
      } catch (err) {
        // A closed database ends the projector quietly; anything else is worth seeing.
        if (!stopped) console.warn('Projecting the approval and task rows did not finish:', err);
      } finally {
        running = null;
      }
    })();
    return running;
  };

  async function basisNow(): Promise<{ basis: string; ruleSets: RuleSet[]; orgs: OrgFinance[] }> {
    const of = (kind: string) =>
      deps.region
        .find({ selector: { [REGION_KIND_FIELD]: kind }, sort: [{ id: 'asc' }] } as never)
        .exec()
        .then((ds) => ds.map((d) => clean(d.toJSON() as Doc)));
    const [orgs, catalog] = await Promise.all([of('orgs'), of('catalog')]);
    const ruleSets = catalog.flatMap((d) => ruleSetFromCatalog(d) ?? []) as RuleSet[];
    const user = deps.user();
    const basis = JSON.stringify([PORTAL_ROW_VERSION, user.id, user.memberships, orgs, ruleSets]);
    return { basis, ruleSets, orgs: orgs as unknown as OrgFinance[] };
  }

  async function pass(): Promise<void> {
    const { basis, ruleSets, orgs } = await basisNow();
    const stored = await db.getLocal<Meta>(META);
    let meta: Meta = stored
      ? (stored.toJSON().data as Meta)
      : { basis: '', gen: 0, rebuilding: false, checkpoints: {} };
    if (meta.basis !== basis) {
      meta = { basis, gen: meta.gen + 1, rebuilding: true, checkpoints: {} };
      await db.upsertLocal(META, meta);
    }
    const ctx: Context = {
      gen: meta.gen,
      user: deps.user(),
      ruleSets,
      orgs: new Map(orgs.map((o) => [o.id, o])),
      unsent: await deps.unsent(),
      now: new Date().toISOString()
    };
    for (const name of ['approvals', 'tasks'] as const) {
      const storage = deps[name].storageInstance as RxStorageInstance<Doc, unknown, unknown, unknown>;
      for (;;) {
        if (stopped) return;
        const { documents, checkpoint } = await getChangedDocumentsSince(storage, BATCH, meta.checkpoints[name]);
        if (documents.length === 0) break;
        if (name === 'approvals') await applyApprovals(documents as Doc[], ctx);
        else await applyTasks(documents as Doc[], ctx);
        meta = { ...meta, checkpoints: { ...meta.checkpoints, [name]: checkpoint } };
        await db.upsertLocal(META, meta);
        if (documents.length < BATCH) break;
      }
    }
    if (meta.rebuilding && !stopped) {
      const old = await rows.find({ selector: { gen: { $lt: meta.gen } } }).exec();
      if (old.length) await rows.bulkRemove(old.map((d) => d.primary));
      await db.upsertLocal(META, { ...meta, rebuilding: false });
    }
  }

  /** Rows of these keys as the current generation knows them (an older generation's: none). */
  async function current(keys: Iterable<string>, gen: number): Promise<Map<string, PortalRowDoc>> {
    const found = await rows.findByIds([...new Set(keys)]).exec();
    const out = new Map<string, PortalRowDoc>();
    for (const [k, d] of found) {
      const row = d.toJSON() as unknown as PortalRowDoc;
      if (row.gen === gen) out.set(k, row);
    }
    return out;
  }

  async function childrenOf(kind: PortalKind, parents: Iterable<string>, gen: number): Promise<PortalRowDoc[]> {
    const ids = [...new Set(parents)].filter(Boolean);
    if (!ids.length) return [];
    const found = await rows.find({ selector: { parent: { $in: ids } } }).exec();
    return found
      .map((d) => d.toJSON() as unknown as PortalRowDoc)
      .filter((r) => r.gen === gen && r.kind === kind && r.key.startsWith(`${kind}|`));
  }

  /** Merges the changed documents into their rows' documents and children. */
  function mergeChanges(
    kind: PortalKind,
    docs: readonly Doc[],
    isChild: (d: Doc) => boolean,
    stored: Map<string, PortalRowDoc>
  ): Map<string, { source: Doc | null; children: Doc[] }> {
    const state = new Map<string, { source: Doc | null; children: Map<string, Doc> }>();
    const entry = (id: string) => {
      let e = state.get(id);
      if (!e) {
        const row = stored.get(rowKey(kind, id));
        e = {
          source: row?.kind === kind ? (row.source ?? null) : null,
          children: new Map((row?.children ?? []).map((c) => [String(c.id), c]))
        };
        state.set(id, e);
      }
      return e;
    };
    for (const d of docs) {
      const deleted = d._deleted === true;
      if (isChild(d)) {
        const e = entry(String(d.parentId ?? ''));
        if (deleted) e.children.delete(String(d.id));
        else e.children.set(String(d.id), clean(d));
      } else entry(String(d.id)).source = deleted ? null : clean(d);
    }
    return new Map([...state].map(([id, e]) => [id, { source: e.source, children: [...e.children.values()] }]));
  }

  function rowDoc(kind: PortalKind, id: string, gen: number, children: Doc[], fields?: Partial<PortalRowDoc>) {
    const base: PortalRowDoc = {
      key: rowKey(kind, id),
      kind: 'waiting',
      id,
      orgId: '',
      mine: 0,
      state: '',
      urgency: '',
      parent: '',
      issuedBy: '',
      createdAt: '',
      gen,
      children
    };
    return { ...base, ...fields };
  }

  async function write(upserts: PortalRowDoc[], removals: string[]) {
    if (upserts.length) await rows.bulkUpsert(upserts);
    if (removals.length) {
      const existing = await rows.findByIds(removals).exec();
      if (existing.size) await rows.bulkRemove([...existing.keys()]);
    }
  }

  function approvalFields(row: ApprovalRow): Partial<PortalRowDoc> {
    const doc = row.doc;
    return {
      kind: 'approval',
      orgId: doc.orgId,
      mine: row.myStep ? 1 : 0,
      state: row.status.state,
      urgency: portalUrgency.approval(!!row.myStep, doc.dueDate, doc.createdAt),
      parent: doc.type === 'invoice' ? (doc.prislibId ?? '') : '',
      createdAt: doc.createdAt,
      source: doc as unknown as Doc,
      row: row as unknown as Doc
    };
  }

  async function applyApprovals(docs: Doc[], ctx: Context) {
    const isChild = (d: Doc) => d.type === 'decision';
    const ids = new Set(docs.map((d) => String(isChild(d) ? d.parentId : d.id)));
    const stored = await current(
      [...ids].map((id) => rowKey('approval', id)),
      ctx.gen
    );
    const merged = mergeChanges('approval', docs, isChild, stored);
    // A příslib's balance follows its invoices: those changed, and the one an invoice left.
    const prislibs = new Set<string>();
    const upserts: PortalRowDoc[] = [];
    const removals: string[] = [];
    for (const [id, { source, children }] of merged) {
      const before = stored.get(rowKey('approval', id))?.source;
      if (before?.type === 'invoice' && before.prislibId) prislibs.add(String(before.prislibId));
      if (!source) {
        if (children.length) upserts.push(rowDoc('approval', id, ctx.gen, children));
        else removals.push(rowKey('approval', id));
        continue;
      }
      const doc = source as unknown as ApprovalRecord;
      if (doc.type === 'invoice' && doc.prislibId) prislibs.add(doc.prislibId);
      if (doc.type === 'prislib') prislibs.add(doc.id);
      const row = approvalRowOf(
        doc,
        children as unknown as Decision[],
        ctx.ruleSets,
        ctx.orgs.get(doc.orgId),
        ctx.user,
        ctx.unsent
      );
      upserts.push(rowDoc('approval', id, ctx.gen, children, approvalFields(row)));
    }
    await write(upserts, removals);
    if (!prislibs.size) return;
    const [owners, invoices] = await Promise.all([
      current(
        [...prislibs].map((p) => rowKey('approval', p)),
        ctx.gen
      ),
      childrenOf('approval', prislibs, ctx.gen)
    ]);
    const balanced: PortalRowDoc[] = [];
    for (const owner of owners.values()) {
      const row = owner.row as unknown as ApprovalRow | undefined;
      if (owner.kind !== 'approval' || !row || row.doc.type !== 'prislib') continue;
      const own = invoices.filter((r) => r.parent === owner.id).map((r) => r.row as unknown as ApprovalRow);
      balanced.push({ ...owner, row: withBalance({ ...row }, own) as unknown as Doc });
    }
    await write(balanced, []);
  }

  async function applyTasks(docs: Doc[], ctx: Context) {
    const isChild = (d: Doc) => d.type === 'task-step';
    const ids = new Set(docs.map((d) => String(isChild(d) ? d.parentId : d.id)));
    const stored = await current(
      [...ids].map((id) => rowKey('task', id)),
      ctx.gen
    );
    const merged = mergeChanges('task', docs, isChild, stored);
    // A task's row depends on its sub-tasks (all done?) and a sub-task's on its parent (who may
    // act): the rows to compute again are the changed tasks, their parents and their sub-tasks.
    const state = new Map<string, { source: Doc | null; children: Doc[] }>(merged);
    const load = async (ids: Iterable<string>) => {
      const missing = [...new Set(ids)].filter((id) => id && !state.has(id));
      for (const r of (
        await current(
          missing.map((id) => rowKey('task', id)),
          ctx.gen
        )
      ).values())
        if (r.kind === 'task') state.set(r.id, { source: r.source ?? null, children: r.children });
    };
    const parentOf = (id: string) => state.get(id)?.source?.parentId as string | undefined;
    const parents = new Set<string>();
    for (const [id, { source }] of merged) {
      const before = stored.get(rowKey('task', id))?.source;
      for (const p of [source?.parentId, before?.parentId]) if (p) parents.add(String(p));
    }
    const again = new Set([...merged.keys(), ...parents]);
    for (const s of await childrenOf('task', merged.keys(), ctx.gen)) {
      again.add(s.id);
      if (!state.has(s.id)) state.set(s.id, { source: s.source ?? null, children: s.children });
    }
    await load(again);
    // What those rows are computed from: their sub-tasks and their parents.
    const subs = await childrenOf('task', again, ctx.gen);
    for (const s of subs) if (!state.has(s.id)) state.set(s.id, { source: s.source ?? null, children: s.children });
    await load([...again].map(parentOf).filter((p): p is string => !!p));
    const subsOf = new Map<string, Set<string>>();
    const addSub = (parent: string, id: string) => subsOf.set(parent, (subsOf.get(parent) ?? new Set()).add(id));
    for (const [id, e] of state) if (e.source?.parentId) addSub(String(e.source.parentId), id);

    const upserts: PortalRowDoc[] = [];
    const removals: string[] = [];
    for (const id of again) {
      const { source, children } = state.get(id) ?? { source: null, children: [] };
      if (!source) {
        if (!merged.has(id)) continue;
        if (children.length) upserts.push(rowDoc('task', id, ctx.gen, children));
        else removals.push(rowKey('task', id));
        continue;
      }
      const task = source as unknown as Task;
      // In the order of their ids, as a query of the collection gives them.
      const subTasks = [...(subsOf.get(id) ?? [])]
        .sort()
        .map((s) => state.get(s))
        .filter((s): s is { source: Doc; children: Doc[] } => !!s?.source && s.source.parentId === id);
      const subStates = subTasks.map(
        (s) => taskState(s.source as unknown as Task, s.children as unknown as TaskStep[], true, ctx.unsent).state
      );
      const parent = task.parentId ? state.get(task.parentId)?.source : null;
      const root = (parent ?? task) as unknown as Task;
      const row = taskRowOf(
        task,
        children as unknown as TaskStep[],
        subTasks.map((s) => s.source as unknown as Task),
        subStates,
        root,
        ctx.orgs.get(task.orgId),
        ctx.user,
        ctx.now,
        ctx.unsent
      );
      upserts.push(rowDoc('task', id, ctx.gen, children, taskFields(row)));
    }
    await write(upserts, removals);
  }

  function taskFields(row: TaskRow): Partial<PortalRowDoc> {
    const t = row.task;
    return {
      kind: 'task',
      orgId: t.orgId,
      mine: row.actions.length > 0 ? 1 : 0,
      state: row.status.state,
      urgency: portalUrgency.task(row.actions.length > 0, t.dueAt),
      parent: t.parentId ?? '',
      issuedBy: t.issuedBy ?? '',
      createdAt: t.createdAt,
      source: t as unknown as Doc,
      row: row as unknown as Doc
    };
  }

  const isBasis = (e: { documentData?: Doc }) => {
    const kind = e.documentData?.[REGION_KIND_FIELD];
    return kind === 'orgs' || kind === 'catalog';
  };
  const subscription: Subscription = merge(
    wake,
    deps.approvals.$,
    deps.tasks.$,
    deps.region.$.pipe(filter((e) => isBasis(e as unknown as { documentData?: Doc })))
  )
    .pipe(
      tap(() => (seen = true)),
      debounceTime(50)
    )
    .subscribe(() => void run());
  void run();

  return {
    async idle() {
      while (!stopped && (seen || running)) await (running ?? new Promise((r) => setTimeout(r, 20)));
    },
    refresh: () => wake.next(),
    stop() {
      stopped = true;
      subscription.unsubscribe();
    }
  };
}
