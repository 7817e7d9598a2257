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
 * a local document (`changes-since.ts`), so a change made while no projector ran (a
 * reload in the middle of a sync) is taken in on the next start. What all rows depend on (the
 * organizations, the rule sets, the person's memberships) is the projection's basis: when it
 * changes, every document is read again under a new generation and the rows of the old one
 * are removed at the end, so the lists keep showing the old rows meanwhile.
 *
 * Children may arrive before their document (a sync batch in any order): they wait in a row of
 * kind `waiting`, which no list reads.
 */
import type { RxCollection, RxDatabase, RxJsonSchema } from 'rxdb';
import {
  BehaviorSubject,
  Subject,
  debounceTime,
  distinctUntilChanged,
  filter,
  merge,
  tap,
  type Observable,
  type Subscription
} from 'rxjs';
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
  packRow,
  portalUrgency,
  PORTAL_ROW_VERSION,
  rowKey,
  type PortalKind,
  type PortalRowDoc
} from '../domain/portal/portal-row';
import { changesReader, type Checkpoint } from './changes-since';
import { plainDoc } from './couch-doc';
import { directInserter } from './direct-insert';
import { REGION_KIND_FIELD, regionQuery } from './region';

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
    type: text(20),
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
    subs: { type: 'array', items: { type: 'string' } },
    row: { type: 'object' }
  },
  required: [
    'key',
    'kind',
    'id',
    'type',
    'orgId',
    'mine',
    'state',
    'urgency',
    'parent',
    'issuedBy',
    'createdAt',
    'gen'
  ],
  // One index per list order (`portal-row.ts`): "mine" by state, all by state, all, the
  // issuer's tasks, the children of a row (a příslib's invoices, a task's sub-tasks), and an
  // organization's documents of one type and state (the příslibs an invoice may draw from).
  indexes: [
    ['kind', 'mine', 'state', 'urgency'],
    ['kind', 'state', 'urgency'],
    ['kind', 'urgency'],
    ['kind', 'issuedBy', 'createdAt'],
    'parent',
    ['type', 'orgId', 'state']
  ]
};

type Doc = Record<string, unknown>;
type Source = 'approvals' | 'tasks';

/**
 * Documents read per step of the projection (a step is one write of rows). Each step is a
 * few IndexedDB round trips (changes, stored rows, rows written, checkpoint) that wait on the
 * writes of a running sync: with 4,000 instead of 1,000 the rows of a first sync of 63,000
 * documents were in 12–15 s after the last document instead of 19–21 s (bench
 * `diagnose-portal-lists.ts`, interleaved pairs); 8,000 gained nothing more.
 */
const BATCH = 4000;
/** A pass that reads this many documents is catching up (a first sync, a new generation), not a change or two. */
const FILLING_FROM = 1000;
const META = 'portal-rows';

interface Meta {
  basis: string;
  gen: number;
  /** A rebuild under `gen` is under way: rows of older generations go when it ends. */
  rebuilding: boolean;
  checkpoints: Partial<Record<Source, Checkpoint>>;
}

/** A row while a batch changes it. */
interface Entry {
  source: Doc | null;
  /** The document as the stored row had it (where it hung before this batch). */
  before: Doc | null;
  children: Map<string, Doc>;
  subs: Set<string>;
  /** A stored row of the current generation exists. */
  stored: boolean;
  /** To be written. */
  dirty: boolean;
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
  /**
   * True while the rows catch up with many documents (a pass that reads a full batch: a first
   * sync, a new generation of many rows): the lists then show what is projected so far, and say so.
   */
  filling$: Observable<boolean>;
  /** Something the basis depends on changed outside the collections (the memberships). */
  refresh(): void;
  stop(): void;
}

export function startPortalProjector(deps: ProjectorDeps): PortalProjector {
  const { db, rows } = deps;
  const wake = new Subject<void>();
  let stopped = false;
  /** A change was seen and its pass has not started yet (the debounce). */
  let seen = true;
  let running: Promise<void> | null = null;
  let again = false;
  const filling = new BehaviorSubject(false);
  const readers = { approvals: changesReader(deps.approvals), tasks: changesReader(deps.tasks) };
  const insertNew = directInserter(rows);

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
        filling.next(false);
      }
    })();
    return running;
  };

  async function basisNow(): Promise<{ basis: string; ruleSets: RuleSet[]; orgs: OrgFinance[] }> {
    const holder = { collections: { region: deps.region } };
    const of = (kind: 'orgs' | 'catalog') =>
      regionQuery(holder, kind)
        .exec()
        .then((ds) => ds.map((d) => plainDoc(d.toJSON() as Doc)));
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
      for (;;) {
        if (stopped) return;
        const { documents, checkpoint } = await readers[name](BATCH, meta.checkpoints[name]);
        if (documents.length === 0) break;
        // Many documents at once: more may follow (a small change or a few documents are not worth saying).
        if (documents.length >= FILLING_FROM) filling.next(true);
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
  async function current(kind: PortalKind, ids: Iterable<string>, gen: number): Promise<Map<string, PortalRowDoc>> {
    const keys = [...new Set(ids)].filter(Boolean).map((id) => rowKey(kind, id));
    const found = keys.length ? await rows.findByIds(keys).exec() : new Map();
    const out = new Map<string, PortalRowDoc>();
    for (const d of found.values()) {
      const row = d.toJSON() as unknown as PortalRowDoc;
      if (row.gen === gen) out.set(row.id, row);
    }
    return out;
  }

  /**
   * The rows a batch touches, as documents: loaded once from the stored rows (`load`), then
   * changed in memory (`merge`, `link`) and written at the end. A row keeps the ids of the
   * rows that hang on it (`subs`: a příslib's invoices, a task's sub-tasks), so finding them
   * needs no query (an `$in` over the `parent` index scans between the smallest and largest
   * id, most of the rows at 10,000).
   */
  function workspace(kind: PortalKind, gen: number) {
    const state = new Map<string, Entry>();
    /** Loads the stored rows of these ids not loaded yet. */
    const load = async (ids: Iterable<string>) => {
      const missing = [...new Set(ids)].filter((id) => id && !state.has(id));
      const stored = await current(kind, missing, gen);
      for (const id of missing) {
        const r = stored.get(id);
        state.set(id, {
          source: r?.source ?? null,
          before: r?.source ?? null,
          children: new Map((r?.children ?? []).map((c) => [String(c.id), c])),
          subs: new Set(r?.subs ?? []),
          stored: !!r,
          dirty: false
        });
      }
    };
    /** `id` hangs on `parent` now (or no longer): the parent's row lists it. */
    const link = (parent: string | undefined, id: string, on: boolean) => {
      const e = parent ? state.get(parent) : undefined;
      if (!e || e.subs.has(id) === on) return;
      if (on) e.subs.add(id);
      else e.subs.delete(id);
      e.dirty = true;
    };
    return {
      state,
      load,
      get: (id: string) => state.get(id),
      /**
       * Takes in a batch: each document as its row's document, each child (`isChild`: a
       * decision, a step) into its parent's row, a deleted one removed; and each row's place
       * under the row it hangs on (`hangsOn`: an invoice's příslib, a sub-task's task), which
       * lists it. Answers the rows changed.
       */
      async take(docs: readonly Doc[], isChild: (d: Doc) => boolean, hangsOn: (d: Doc | null) => string | undefined) {
        const parentOf = (d: Doc) => String(d.parentId ?? '');
        await load(docs.map((d) => (isChild(d) ? parentOf(d) : String(d.id))));
        for (const d of docs) {
          const e = state.get(isChild(d) ? parentOf(d) : String(d.id))!;
          e.dirty = true;
          if (!isChild(d)) e.source = d._deleted === true ? null : plainDoc(d);
          else if (d._deleted === true) e.children.delete(String(d.id));
          else e.children.set(String(d.id), plainDoc(d));
        }
        const changed = [...state].filter(([, e]) => e.dirty);
        await load(changed.flatMap(([, e]) => [hangsOn(e.before), hangsOn(e.source)].filter((p): p is string => !!p)));
        for (const [id, e] of changed) {
          const before = hangsOn(e.before);
          const after = hangsOn(e.source);
          if (before !== after) link(before, id, false);
          link(after, id, true);
        }
        return changed;
      }
    };
  }

  function rowDoc(kind: PortalKind, id: string, gen: number, e: Entry, fields?: Partial<PortalRowDoc>): PortalRowDoc {
    return {
      key: rowKey(kind, id),
      kind: 'waiting',
      id,
      type: '',
      orgId: '',
      mine: 0,
      state: '',
      urgency: '',
      parent: '',
      issuedBy: '',
      createdAt: '',
      gen,
      children: [...e.children.values()],
      subs: [...e.subs].sort(),
      ...fields
    };
  }

  /** Rows of the entries a batch changed: computed by `rowOf` when their document is there. */
  async function writeRows(
    kind: PortalKind,
    gen: number,
    entries: ReadonlyMap<string, Entry>,
    rowOf: (id: string, e: Entry & { source: Doc }) => Partial<PortalRowDoc>
  ) {
    const inserts: PortalRowDoc[] = [];
    const upserts: PortalRowDoc[] = [];
    const removals: string[] = [];
    for (const [id, e] of entries) {
      if (!e.dirty) continue;
      const row = e.source
        ? rowDoc(kind, id, gen, e, rowOf(id, e as Entry & { source: Doc }))
        : e.children.size || e.subs.size
          ? rowDoc(kind, id, gen, e)
          : null;
      if (row) (e.stored ? upserts : inserts).push(row);
      else if (e.stored) removals.push(rowKey(kind, id));
    }
    // A row no stored one of this generation has is inserted straight; one that is stored
    // after all (an older generation's, during a rebuild) comes back and is upserted.
    upserts.push(...(await insertNew(inserts)));
    if (upserts.length) await rows.bulkUpsert(upserts);
    if (removals.length) await rows.bulkRemove(removals);
  }

  async function applyApprovals(docs: Doc[], ctx: Context) {
    const ws = workspace('approval', ctx.gen);
    const prislibOf = (d: Doc | null) => (d?.type === 'invoice' && d.prislibId ? String(d.prislibId) : undefined);
    const changed = await ws.take(docs, (d) => d.type === 'decision', prislibOf);
    // Every příslib touched sums its invoices again: those not in this batch are read.
    const prislibs = [...ws.state].filter(([, e]) => e.source?.type === 'prislib' && e.dirty);
    for (const p of new Set(changed.flatMap(([, e]) => [prislibOf(e.source), prislibOf(e.before)]))) {
      const entry = p ? ws.get(p) : undefined;
      if (p && entry?.source?.type === 'prislib' && !entry.dirty) {
        entry.dirty = true;
        prislibs.push([p, entry]);
      }
    }
    await ws.load(prislibs.flatMap(([, e]) => [...e.subs]));

    const computed = new Map<string, ApprovalRow>();
    const rowOf = (id: string, e: Entry & { source: Doc }): ApprovalRow => {
      let row = computed.get(id);
      if (!row) {
        const doc = e.source as unknown as ApprovalRecord;
        row = approvalRowOf(
          doc,
          [...e.children.values()] as unknown as Decision[],
          ctx.ruleSets,
          ctx.orgs.get(doc.orgId),
          ctx.user,
          ctx.unsent
        );
        computed.set(id, row);
      }
      return row;
    };
    const fields = (id: string, e: Entry & { source: Doc }): Partial<PortalRowDoc> => {
      const row = rowOf(id, e);
      if (row.doc.type === 'prislib') {
        const invoices = [...e.subs]
          .map((s) => [s, ws.get(s)] as const)
          .filter(
            (x): x is readonly [string, Entry & { source: Doc }] => !!x[1]?.source && prislibOf(x[1].source) === id
          )
          .map(([s, inv]) => rowOf(s, inv));
        withBalance(row, invoices);
      }
      return approvalFields(row, e);
    };
    await writeRows('approval', ctx.gen, ws.state, fields);
  }

  /** The row's own documents, which its stored row refers to instead of holding again. */
  const ownDocs = (e: Entry & { source: Doc }): Doc[] => [e.source, ...e.children.values()];

  function approvalFields(row: ApprovalRow, e: Entry & { source: Doc }): Partial<PortalRowDoc> {
    const doc = row.doc;
    return {
      kind: 'approval',
      type: doc.type,
      orgId: doc.orgId,
      mine: row.myStep ? 1 : 0,
      state: row.status.state,
      urgency: portalUrgency.approval(!!row.myStep, doc.dueDate, doc.createdAt),
      parent: doc.type === 'invoice' ? (doc.prislibId ?? '') : '',
      createdAt: doc.createdAt,
      source: e.source,
      row: packRow(row, ownDocs(e))
    };
  }

  async function applyTasks(docs: Doc[], ctx: Context) {
    const ws = workspace('task', ctx.gen);
    const parentOf = (d: Doc | null) => (d?.type === 'task' && d.parentId ? String(d.parentId) : undefined);
    const changed = await ws.take(docs, (d) => d.type === 'task-step', parentOf);
    // A task's row depends on its sub-tasks (all done?) and a sub-task's on its parent (who
    // may act): the changed tasks, their parents and their sub-tasks are computed again.
    const again = new Set([...ws.state].filter(([, e]) => e.dirty).map(([id]) => id));
    for (const [, e] of changed) {
      const p = parentOf(e.source);
      if (p && ws.get(p)?.source) again.add(p);
      for (const sub of e.subs) again.add(sub);
    }
    await ws.load(again);
    // What those rows are computed from: their sub-tasks and their parents.
    await ws.load(
      [...again].flatMap((id) => [...(ws.get(id)?.subs ?? []), parentOf(ws.get(id)?.source ?? null) ?? ''])
    );
    for (const id of again) ws.get(id)!.dirty = true;

    const rowOf = (id: string, e: Entry & { source: Doc }): Partial<PortalRowDoc> => {
      const task = e.source as unknown as Task;
      const subTasks = [...e.subs]
        .sort()
        .map((s) => ws.get(s))
        .filter((s): s is Entry & { source: Doc } => !!s?.source && s.source.parentId === id);
      const subStates = subTasks.map(
        (s) =>
          taskState(s.source as unknown as Task, [...s.children.values()] as unknown as TaskStep[], true, ctx.unsent)
            .state
      );
      const parent = task.parentId ? ws.get(task.parentId)?.source : null;
      const row = taskRowOf(
        task,
        [...e.children.values()] as unknown as TaskStep[],
        subTasks.map((s) => s.source as unknown as Task),
        subStates,
        (parent ?? task) as unknown as Task,
        ctx.orgs.get(task.orgId),
        ctx.user,
        ctx.now,
        ctx.unsent
      );
      return taskFields(row, e);
    };
    await writeRows('task', ctx.gen, ws.state, rowOf);
  }

  function taskFields(row: TaskRow, e: Entry & { source: Doc }): Partial<PortalRowDoc> {
    const t = row.task;
    return {
      kind: 'task',
      type: 'task',
      orgId: t.orgId,
      mine: row.actions.length > 0 ? 1 : 0,
      state: row.status.state,
      urgency: portalUrgency.task(row.actions.length > 0, t.dueAt),
      parent: t.parentId ?? '',
      issuedBy: t.issuedBy ?? '',
      createdAt: t.createdAt,
      source: e.source,
      row: packRow(row, ownDocs(e))
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
    filling$: filling.pipe(distinctUntilChanged()),
    refresh: () => wake.next(),
    stop() {
      stopped = true;
      filling.complete();
      subscription.unsubscribe();
    }
  };
}
