/**
 * Days offline on several devices: a seeded random simulation that drives the app's own data
 * layer (one RxDB store per device, as `openCore` opens it in the browser) and PouchDB (the
 * media client) against a real sync server. Five devices of three people of one organization
 * work offline for simulated days (new tickets, comments, field edits, closing tickets,
 * photos, approval registrations and decisions, stocktake scans), then come online in a
 * random order, some twice a day, some losing the network in the middle of their sync.
 *
 * Afterwards it checks only what is stored: every device and CouchDB hold the same documents;
 * every comment, event, decision, scan and photo made anywhere is on the server exactly once,
 * or, when the server refused it, kept on its device with the reason; every edit that lost a
 * field-level conflict is in the document's `editConflicts`; nothing is left unsent.
 *
 * The schedule (who does what, when, and when each device is online) follows from the seed
 * alone; the ids are drawn from it too. Open-source RxDB allows 16 collections per process,
 * so one device's store is open at a time (each device keeps its own memory store between
 * sessions, as a page reload does). Tests and the soak command only.
 */
import { mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import nano from 'nano';
import PouchDB from 'pouchdb-node';
import type { RxCollection, RxStorage } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { login } from '../../../sync-server/testing/server';
import type { Role, SessionUser } from '../domain/access';
import { newScan, newStocktake } from '../domain/assets/stocktake-docs';
import { orgDb } from '../domain/databases';
import { approvalRows, type OrgFinance } from '../domain/portal/approval-view';
import { newApprovalDoc, newDecision } from '../domain/portal/build';
import { ruleSetFromCatalog, type RuleSet } from '../domain/portal/rule-sets';
import type { Ticket } from '../domain/schemas/tickets';
import { addEvent, newTicket } from '../domain/tickets/build';
import { checkTicketChange } from '../domain/tickets/check';
import { newComment } from '../domain/tickets/comments';
import type { RandomBytes } from '../domain/tickets/ids';
import { mayAdd } from '../domain/tickets/lifecycle';
import { contentOf, deepEqual, fromCouch, type CouchDoc } from './couch-doc';
import type { FetchLike } from './couch-http';
import { seededRandom } from './fault-support';
import { openCore, type CoreDb, type Me } from './open-core';
import { codecFor, regionQuery } from './region';
import type { SyncIssue } from './sync-issues';

export const ORG = 'gym-kt';
const DAY = 86_400_000;

export interface SimOptions {
  serverUrl: string;
  /** Admin URL of the store, to read what it holds. */
  couchUrl: string;
  seed: number;
  /** Simulated days of offline work. */
  days: number;
  /** Operations per device per working session (one or two sessions a day). */
  opsPerSession: number;
  log?: (line: string) => void;
}

export interface SimReport {
  seed: number;
  operations: number;
  byKind: Record<string, number>;
  syncs: number;
  /** Syncs that lost the network part-way through. */
  cutSyncs: number;
  /** Records the server refused, kept on their device with the reason, by reason code. */
  refused: Record<string, number>;
  /** Conflict records in the documents' `editConflicts` at the end. */
  conflictRecords: number;
  durationMs: number;
}

interface DeviceSpec {
  name: string;
  user: string;
}

/** Five devices, three people: the director on two, the teacher on two, the accountant on one. */
export const SIM_DEVICES: readonly DeviceSpec[] = [
  { name: 'director-phone', user: 'reditel.gymkt' },
  { name: 'director-laptop', user: 'reditel.gymkt' },
  { name: 'teacher-tablet', user: 'ucitel.gymkt' },
  { name: 'teacher-phone', user: 'ucitel.gymkt' },
  { name: 'accountant-pc', user: 'ucetni.gymkt' }
];

type Doc = Record<string, unknown>;

/** What the simulation made, to be found again at the end. */
interface Made {
  kind: 'ticket' | 'comment' | 'event' | 'edit' | 'photo' | 'approval' | 'decision' | 'scan';
  device: string;
  collection: string;
  /** The document it lives in. */
  docId: string;
  /** Event id (events) or the edited field (edits). */
  part?: string;
  /** Edits: the value written (unique) and the one it replaced on the device. */
  value?: string;
  replaced?: string;
}

class SimDevice {
  core: CoreDb | null = null;
  readonly storage: RxStorage<unknown, unknown>;
  readonly net = { offline: true, cutAfter: Infinity };
  clock = 0;
  media!: PouchDB.Database;
  me!: Me;
  cookie = '';

  constructor(
    readonly spec: DeviceSpec,
    private readonly serverUrl: string,
    private readonly dir: string
  ) {
    // Its own memory, kept between sessions: two devices of one person must not share a store.
    this.storage = { ...getRxStorageMemory(), collectionStates: new Map() } as RxStorage<unknown, unknown>;
  }

  get user(): SessionUser {
    return this.me.user;
  }
  get roles(): Role[] {
    return this.me.user.memberships.filter((m) => m.org === ORG).map((m) => m.role);
  }
  reads(collection: string): boolean {
    return this.me.databases.some((d) => d.db === orgDb(ORG, collection as never));
  }
  writes(collection: string): boolean {
    return this.me.databases.some((d) => d.db === orgDb(ORG, collection as never) && d.write);
  }

  async signIn(): Promise<void> {
    this.cookie = await login(this.serverUrl, this.spec.user);
    this.net.offline = false;
    this.me = (await (await this.fetch(`${this.serverUrl}/api/me`)).json()) as Me;
    this.media = new PouchDB(path.join(this.dir, this.spec.name));
  }

  fetch: FetchLike = async (input, init) => {
    if (this.net.offline) throw new TypeError('fetch failed');
    if (--this.net.cutAfter < 0) {
      this.net.offline = true;
      throw new TypeError('fetch failed (the network went away)');
    }
    return fetch(input, {
      ...init,
      headers: { ...(init?.headers as Record<string, string>), cookie: this.cookie, origin: this.serverUrl }
    });
  };

  remoteMedia(): PouchDB.Database {
    return new PouchDB(`${this.serverUrl}/couch/${orgDb(ORG, 'media')}`, {
      skip_setup: true,
      fetch: (url: string | Request, opts?: RequestInit) => {
        if (this.net.offline) return Promise.reject(new TypeError('fetch failed'));
        const headers = new Headers(opts?.headers);
        headers.set('cookie', this.cookie);
        return PouchDB.fetch(url, { ...opts, headers });
      }
    } as PouchDB.Configuration.RemoteDatabaseConfiguration);
  }

  async open(): Promise<CoreDb> {
    this.core = await openCore(this.me, {
      storage: this.storage,
      origin: this.serverUrl,
      fetch: this.fetch,
      emit: () => undefined,
      multiInstance: false,
      events: false,
      retryMs: 200
    });
    return this.core;
  }

  async close(): Promise<void> {
    await this.core?.close();
    this.core = null;
  }

  col(name: string): RxCollection {
    return this.core!.collections[name as keyof CoreDb['collections']];
  }

  async issues(kind: SyncIssue['kind']): Promise<SyncIssue[]> {
    return (await this.core!.issues.store.find({ selector: { kind } }).exec()).map((d) => d.toJSON() as SyncIssue);
  }
}

/** Waits until `cond` holds; a check that throws counts as "not yet". */
async function until(what: string, cond: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  // A check that hangs (waiting for a sync the network cut off) is a "not yet" after a while.
  const check = () =>
    Promise.race([cond().catch(() => false), new Promise<boolean>((r) => setTimeout(() => r(false), 2000))]);
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The device sends everything and reads everything (within `timeoutMs`). */
async function syncFully(dev: SimDevice, timeoutMs = 90_000): Promise<void> {
  const core = dev.core!;
  core.sync.resyncNow();
  await until(
    `${dev.spec.name} is in sync`,
    async () => {
      await Promise.all([...core.sync.replications.values()].map((r) => r.awaitInSync()));
      return (await core.issues.store.count({ selector: { kind: 'pending' } }).exec()) === 0;
    },
    timeoutMs
  );
  const remote = dev.remoteMedia();
  await dev.media.replicate.to(remote);
  await dev.media.replicate.from(remote);
}

export async function runSimulation(opts: SimOptions): Promise<SimReport> {
  const started = Date.now();
  const { seed } = opts;
  const random = seededRandom(seed);
  const bytes: RandomBytes = (n) => Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const shuffle = <T>(xs: readonly T[]): T[] => {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  };
  const randomId = () => Array.from(bytes(10), (b) => '0123456789abcdefghijklmnopqrstuvwxyz'[b % 36]).join('');
  const log = opts.log ?? (() => undefined);

  const dir = path.join(os.tmpdir(), `ict-sim-${seed}-${process.pid}-${Date.now()}`);
  await mkdir(dir, { recursive: true });
  const devices = SIM_DEVICES.map((s) => new SimDevice(s, opts.serverUrl, dir));
  const made: Made[] = [];
  const report: SimReport = {
    seed,
    operations: 0,
    byKind: {},
    syncs: 0,
    cutSyncs: 0,
    refused: {},
    conflictRecords: 0,
    durationMs: 0
  };
  const record = (m: Made) => {
    made.push(m);
    report.operations += 1;
    report.byKind[m.kind] = (report.byKind[m.kind] ?? 0) + 1;
  };
  // The simulated days lie in the past (a device ahead of the server's clock is refused, by design).
  const firstDay = Date.now() - (opts.days + 1) * DAY;
  let counter = 0;

  try {
    // Everyone signs in and syncs once online; the director opens a stocktake for the scans.
    let stocktakeId = '';
    for (const dev of devices) {
      await dev.signIn();
      dev.net.offline = false;
      await dev.open();
      await dev.core!.sync.awaitInitial();
      if (dev.spec.name === 'director-phone') {
        const st = newStocktake({ orgId: ORG, userId: dev.user.id, name: `Inventura ${seed}`, now: new Date() });
        stocktakeId = st.id;
        await dev.col('assets').insert(st);
      }
      await syncFully(dev);
      await dev.close();
      dev.net.offline = true;
    }

    log(`signed in and synced ${devices.length} devices (${Date.now() - started} ms)`);
    // ---- operations, each as the app's screens make it, allowed by the same rules ----------
    const now = (dev: SimDevice) => new Date(dev.clock);
    const tick = (dev: SimDevice) => {
      dev.clock += 1000 + Math.floor(random() * 600_000);
    };
    const readTickets = async (dev: SimDevice) => {
      const rejected = new Set((await dev.issues('rejected')).map((r) => r.docId));
      const docs = await dev
        .col('tickets')
        .find({ selector: { orgId: ORG } })
        .exec();
      // Ordered by what the simulation knows (not by random ids), the ones made here first.
      return docs
        .map((d) => d.toJSON() as unknown as Ticket)
        .filter((t) => !rejected.has(t.id))
        .sort((a, b) => (a.createdAt + a.id < b.createdAt + b.id ? -1 : 1));
    };
    const may = (dev: SimDevice, before: Ticket, after: Ticket) =>
      checkTicketChange(dev.user, dev.roles, before, after) === null;

    const ops: Record<string, (dev: SimDevice) => Promise<boolean>> = {
      async ticket(dev) {
        if (!dev.writes('tickets')) return false;
        const t = newTicket(
          {
            orgId: ORG,
            title: `Sim ${seed} ${dev.spec.name} #${++counter}`,
            description: `Made offline on ${dev.spec.name}`,
            category: 'cat-hardware',
            priority: pick(['P2', 'P3', 'P4'] as const)
          },
          dev.user,
          now(dev),
          bytes
        );
        await dev.col('tickets').insert(t);
        record({ kind: 'ticket', device: dev.spec.name, collection: 'tickets', docId: t.id });
        return true;
      },
      async comment(dev) {
        if (!dev.writes('comments')) return false;
        const list = (await readTickets(dev)).filter((t) => mayAdd('comment', dev.roles, t, dev.user.id));
        if (!list.length) return false;
        const t = pick(list);
        const c = newComment(
          t,
          { kind: 'comment', text: `Comment ${++counter} from ${dev.spec.name}` },
          dev.user,
          now(dev),
          bytes
        );
        await dev.col('comments').insert(c);
        record({ kind: 'comment', device: dev.spec.name, collection: 'comments', docId: c.id });
        return true;
      },
      async edit(dev) {
        if (!dev.writes('tickets')) return false;
        const field = pick(['title', 'description'] as const);
        const value = `${field} ${++counter} by ${dev.spec.name}`;
        const at = now(dev).toISOString();
        const list = (await readTickets(dev)).filter((t) =>
          may(dev, t, { ...t, [field]: value, updatedBy: dev.user.id, updatedAt: at })
        );
        if (!list.length) return false;
        const t = pick(list);
        const doc = await dev.col('tickets').findOne(t.id).exec();
        await doc!.incrementalPatch({ [field]: value, updatedBy: dev.user.id, updatedAt: at });
        record({
          kind: 'edit',
          device: dev.spec.name,
          collection: 'tickets',
          docId: t.id,
          part: field,
          value,
          replaced: String(t[field])
        });
        return true;
      },
      async close(dev) {
        if (!dev.writes('tickets')) return false;
        const input = { kind: 'status' as const, to: 'closed' as const, text: `Closed on ${dev.spec.name}` };
        const list = (await readTickets(dev)).filter(
          (t) =>
            t.status !== 'closed' &&
            may(
              dev,
              t,
              addEvent(t, input, dev.user, now(dev), () => new Uint8Array(8))
            )
        );
        if (!list.length) return false;
        const t = pick(list);
        const next = addEvent(t, input, dev.user, now(dev), bytes);
        const event = next.events.find((e) => !t.events.some((o) => o.id === e.id))!;
        const doc = await dev.col('tickets').findOne(t.id).exec();
        await doc!.incrementalPatch({
          events: next.events,
          status: next.status,
          updatedBy: next.updatedBy,
          updatedAt: next.updatedAt
        });
        record({ kind: 'event', device: dev.spec.name, collection: 'tickets', docId: t.id, part: event.id });
        return true;
      },
      async photo(dev) {
        if (!dev.writes('media') || !dev.writes('comments')) return false;
        const list = (await readTickets(dev)).filter((t) => mayAdd('attachment', dev.roles, t, dev.user.id));
        if (!list.length) return false;
        const t = pick(list);
        const at = now(dev).toISOString();
        const id = `m-${dev.clock.toString(36)}-${randomId()}`;
        const fileName = `foto-${++counter}.jpg`;
        await dev.media.put({
          _id: id,
          orgId: ORG,
          createdBy: dev.user.id,
          createdAt: at,
          updatedBy: dev.user.id,
          updatedAt: at,
          fileName,
          contentType: 'image/jpeg',
          ref: `tickets/${t.id}`,
          _attachments: { file: { content_type: 'image/jpeg', data: Buffer.from(`ffd8ffe0${id}`) } }
        });
        const c = newComment(t, { kind: 'attachment', mediaId: id, fileName }, dev.user, now(dev), bytes);
        await dev.col('comments').insert(c);
        record({ kind: 'photo', device: dev.spec.name, collection: 'media', docId: id });
        record({ kind: 'comment', device: dev.spec.name, collection: 'comments', docId: c.id });
        return true;
      },
      async approval(dev) {
        if (!dev.writes('approvals') || !dev.roles.some((r) => r === 'manager' || r === 'accountant')) return false;
        const at = now(dev).toISOString();
        const doc = newApprovalDoc(
          {
            orgId: ORG,
            type: 'order',
            number: `OBJ-${seed}-${++counter}`,
            supplier: 'Simulace s.r.o.',
            amount: 1000 + Math.floor(random() * 90_000),
            currency: 'CZK',
            subject: `Order made on ${dev.spec.name}`,
            registeredOn: at.slice(0, 10)
          },
          dev.user.id,
          at
        );
        doc.id = `apv-${ORG}-${randomId()}`;
        await dev.col('approvals').insert(doc);
        record({ kind: 'approval', device: dev.spec.name, collection: 'approvals', docId: String(doc.id) });
        return true;
      },
      async decide(dev) {
        if (!dev.writes('approvals')) return false;
        const docs = (await dev.col('approvals').find().exec()).map((d) => d.toJSON() as Doc);
        const region = dev.core!;
        const ruleSets = (await regionQuery(region, 'catalog').exec()).flatMap(
          (d) => ruleSetFromCatalog(d.toJSON() as Doc) ?? []
        ) as RuleSet[];
        const orgs = (await regionQuery(region, 'orgs').exec()).map((d) => d.toJSON()) as unknown as OrgFinance[];
        const unsent = new Set(
          [...(await dev.issues('pending')), ...(await dev.issues('rejected'))]
            .filter((i) => i.collectionName === 'approvals')
            .map((i) => i.docId)
        );
        const rows = approvalRows(docs, ruleSets, orgs, dev.user, unsent)
          .filter((r) => r.myStep && r.doc.orgId === ORG)
          .sort((a, b) => (a.doc.createdAt + a.doc.id < b.doc.createdAt + b.doc.id ? -1 : 1));
        if (!rows.length) return false;
        const row = pick(rows);
        const step = row.myStep!;
        const reject = random() < 0.15;
        const decision = newDecision(
          row.doc,
          dev.user.id,
          step,
          row.status.rules!.stepRoles[step]!,
          reject ? 'reject' : 'approve',
          now(dev).toISOString(),
          reject ? { comment: `Rejected on ${dev.spec.name}` } : { fundsConfirmed: true }
        );
        decision.id = `${String(decision.id).slice(0, -16)}${randomId()}`;
        await dev.col('approvals').insert(decision);
        record({ kind: 'decision', device: dev.spec.name, collection: 'approvals', docId: String(decision.id) });
        return true;
      },
      async scan(dev) {
        if (!dev.writes('assets') || !stocktakeId || !dev.roles.includes('manager')) return false;
        const scan = newScan({
          orgId: ORG,
          userId: dev.user.id,
          now: now(dev),
          stocktakeId,
          code: `SIM-${seed}-${++counter}`,
          method: pick(['camera', 'typed'] as const)
        });
        scan.id = `${scan.id.slice(0, scan.id.lastIndexOf('-') + 1)}${randomId().slice(0, 8)}`;
        await dev.col('assets').insert(scan);
        record({ kind: 'scan', device: dev.spec.name, collection: 'assets', docId: scan.id });
        return true;
      }
    };
    const weights: [string, number][] = [
      ['ticket', 3],
      ['comment', 4],
      ['edit', 4],
      ['close', 1],
      ['photo', 1],
      ['approval', 1],
      ['decide', 2],
      ['scan', 3]
    ];
    const total = weights.reduce((s, [, w]) => s + w, 0);
    const chooseOp = () => {
      let r = random() * total;
      for (const [name, w] of weights) if ((r -= w) < 0) return name;
      return weights[0][0];
    };
    const work = async (dev: SimDevice, n: number) => {
      for (let done = 0, tries = 0; done < n && tries < n * 4; tries++) {
        tick(dev);
        if (await ops[chooseOp()](dev)) done++;
      }
    };
    /** A sync; `cut` loses the network after that many requests (the rest goes on the next one). */
    const comeOnline = async (dev: SimDevice, cut: number) => {
      dev.net.offline = false;
      dev.net.cutAfter = cut;
      report.syncs += 1;
      if (Number.isFinite(cut)) {
        report.cutSyncs += 1;
        dev.core!.sync.resyncNow();
        // The sync may finish before the network goes; either way the device then closes.
        const core = dev.core!;
        const inSync = async () =>
          (await Promise.all([...core.sync.replications.values()].map((r) => r.awaitInSync()))) &&
          (await core.issues.store.count({ selector: { kind: 'pending' } }).exec()) === 0;
        await until(
          'the network went away or the sync finished',
          async () => dev.net.offline || (await inSync()),
          60_000
        );
        // Whatever was in flight when the network went settles before the app closes.
        await new Promise((r) => setTimeout(r, 300));
      } else {
        await syncFully(dev);
      }
      dev.net.offline = true;
      dev.net.cutAfter = Infinity;
    };

    // ---- the days ---------------------------------------------------------------------------
    for (let day = 0; day < opts.days; day++) {
      for (const dev of devices) dev.clock = Math.max(dev.clock, firstDay + day * DAY + 7 * 3_600_000);
      // Everyone works offline, in a random order.
      for (const dev of shuffle(devices)) {
        await dev.open();
        await work(dev, opts.opsPerSession);
        await dev.close();
      }
      // Some come online (in a random order, some twice), some stay offline another day.
      const online = shuffle(devices).filter(() => random() < 0.7);
      const visits = [...online, ...online.filter(() => random() < 0.3)];
      for (const dev of visits) {
        await dev.open();
        if (random() < 0.4) await work(dev, 1 + Math.floor(random() * 3));
        const cut = random() < 0.25 ? 3 + Math.floor(random() * 15) : Infinity;
        await comeOnline(dev, cut);
        await dev.close();
      }
      log(`day ${day + 1}: ${report.operations} operations, ${report.syncs} syncs so far (${Date.now() - started} ms)`);
    }

    // ---- everyone comes online until nothing changes ----------------------------------------
    // A round in which nobody wrote anything to the server leaves nothing for anyone to read.
    const couch = nano(opts.couchUrl);
    const serverSeqs = async () =>
      JSON.stringify(
        await Promise.all(
          ['tickets', 'comments', 'approvals', 'assets', 'media'].map(
            async (c) => (await couch.use(orgDb(ORG, c as never)).info()).update_seq
          )
        )
      );
    for (let round = 0, before = ''; round < 5; round++) {
      before = await serverSeqs();
      for (const dev of shuffle(devices)) {
        await dev.open();
        await comeOnline(dev, Infinity);
        await dev.close();
      }
      if (round > 0 && (await serverSeqs()) === before) break;
    }

    log(`final syncs done (${Date.now() - started} ms)`);
    const problems = await verify(devices, made, opts, report);
    report.durationMs = Date.now() - started;
    if (problems.length) {
      const shown = problems.slice(0, 25).join('\n  ');
      throw new Error(
        `multi-device simulation failed (seed ${seed}; replay with SIM_SEED=${seed}): ${problems.length} problem(s)\n  ${shown}`
      );
    }
    return report;
  } finally {
    for (const dev of devices) {
      await dev.close().catch(() => undefined);
      await dev.media?.close().catch(() => undefined);
    }
    await rm(dir, { recursive: true, force: true });
  }
}

/** Everything the simulation made, checked against what the server and every device hold. */
async function verify(devices: SimDevice[], made: Made[], opts: SimOptions, report: SimReport): Promise<string[]> {
  const problems: string[] = [];
  const couch = nano(opts.couchUrl);
  const collections = ['tickets', 'comments', 'approvals', 'assets'];
  // A local collection may be fed by several databases (the contract archive feeds `assets`).
  const feeds: Record<string, string[]> = { assets: ['assets', 'contracts'] };
  const server = new Map<string, Map<string, Doc>>();
  const sourceOf = new Map<string, string>();
  for (const c of collections) {
    const docs = new Map<string, Doc>();
    for (const source of feeds[c] ?? [c]) {
      const res = await couch.use<Doc>(orgDb(ORG, source as never)).list({ include_docs: true, conflicts: true });
      for (const row of res.rows) {
        if (!row.doc || row.id.startsWith('_design/')) continue;
        const doc = row.doc as unknown as CouchDoc & { _conflicts?: string[] };
        if (doc._conflicts?.length) problems.push(`${c}/${row.id} has conflicting revisions on the server`);
        docs.set(row.id, contentOf(fromCouch(doc)));
        sourceOf.set(`${c}/${row.id}`, source);
      }
    }
    server.set(c, docs);
  }

  // What each device holds, and what it set aside as refused.
  const refusedOn = new Map<string, Map<string, SyncIssue>>();
  const conflictsOn = new Map<string, SyncIssue[]>();
  for (const dev of devices) {
    await dev.open();
    try {
      const pending = await dev.issues('pending');
      if (pending.length)
        problems.push(`${dev.spec.name} still has unsent changes: ${pending.map((p) => p.docId).join(', ')}`);
      const rejected = await dev.issues('rejected');
      const byKey = new Map(rejected.map((r) => [`${r.collectionName}/${r.docId}`, r]));
      refusedOn.set(dev.spec.name, byKey);
      conflictsOn.set(dev.spec.name, await dev.issues('conflict'));
      for (const r of rejected) {
        report.refused[r.code ?? 'unknown'] = (report.refused[r.code ?? 'unknown'] ?? 0) + 1;
        if (!r.reason || r.reason.length < 10) problems.push(`${dev.spec.name}: ${r.docId} refused without a reason`);
        // A merge the device made itself must be one the server takes.
        if (/updatedBy must be/.test(r.reason ?? '')) {
          const mine = (r.doc ?? {}) as Doc;
          const theirs = (r.serverDoc ?? {}) as Doc;
          const differ = [...new Set([...Object.keys(mine), ...Object.keys(theirs)])].filter(
            (k) => !deepEqual(mine[k], theirs[k])
          );
          problems.push(
            `${dev.spec.name}: its version of ${r.collectionName}/${r.docId} was refused (${r.reason}); ` +
              `it differs from the server's in ${differ.join(', ')}: ${JSON.stringify(differ.map((k) => [k, mine[k], theirs[k]])).slice(0, 1500)}`
          );
        }
      }
      for (const c of collections) {
        if (!dev.reads(c)) continue;
        const local = new Map(
          (
            await dev
              .col(c)
              .find({ selector: { orgId: ORG } })
              .exec()
          ).map((d) => [d.primary, contentOf(d.toJSON() as Doc, codecFor(c).localFields)])
        );
        const onServer = server.get(c)!;
        for (const [id, doc] of onServer) {
          if (byKey.has(`${c}/${id}`) || !dev.reads(sourceOf.get(`${c}/${id}`) ?? c)) continue;
          const mine = local.get(id);
          if (!mine) problems.push(`${dev.spec.name} lacks ${c}/${id}`);
          else if (!deepEqual(mine, doc)) problems.push(`${dev.spec.name} holds another version of ${c}/${id}`);
        }
        for (const id of local.keys())
          if (!onServer.has(id) && !byKey.has(`${c}/${id}`))
            problems.push(`${dev.spec.name} holds ${c}/${id}, the server does not`);
      }
      // Photos: made here and not on the server, or on the server and not here after the pull.
      const mine = new Set((await dev.media.allDocs()).rows.map((r) => r.id));
      for (const m of made.filter((x) => x.kind === 'photo' && x.device === dev.spec.name))
        if (!mine.has(m.docId)) problems.push(`${dev.spec.name} lost its photo ${m.docId}`);
    } finally {
      await dev.close();
    }
  }

  const media = couch.use<Doc>(orgDb(ORG, 'media'));
  const refusal = (m: Made) => refusedOn.get(m.device)?.get(`${m.collection}/${m.docId}`);
  // Each record made anywhere: on the server once, or refused and kept on its device.
  const seenContent = new Map<string, string>();
  for (const m of made) {
    const kept = refusal(m);
    if (m.kind === 'photo') {
      const res = await media.get(m.docId).catch(() => null);
      if (!res || !(res as { _attachments?: object })._attachments)
        problems.push(`photo ${m.docId} from ${m.device} is not on the server with its file`);
      continue;
    }
    const doc = server.get(m.collection)!.get(m.docId);
    if (m.kind === 'event') {
      const n = ((doc?.events as { id: string }[] | undefined) ?? []).filter((e) => e.id === m.part).length;
      const inRefused = ((kept?.doc?.events as { id: string }[] | undefined) ?? []).some((e) => e.id === m.part);
      if (n > 1) problems.push(`event ${m.part} is ${n} times in ticket ${m.docId}`);
      if (n === 0 && !inRefused) problems.push(`event ${m.part} of ticket ${m.docId} from ${m.device} is lost`);
      continue;
    }
    if (m.kind === 'edit') continue;
    if (!doc && !kept) problems.push(`${m.kind} ${m.docId} from ${m.device} is lost`);
    if (doc && (m.kind === 'comment' || m.kind === 'scan' || m.kind === 'decision')) {
      // The same record under another id would be a duplicate.
      const key = JSON.stringify(contentOf(doc, ['id', 'receivedAt']));
      const twin = seenContent.get(key);
      if (twin) problems.push(`${m.kind} ${m.docId} duplicates ${twin}`);
      seenContent.set(key, m.docId);
    }
  }

  // Field edits: still the value, overwritten by someone who had seen it, or kept as a lost edit.
  const tickets = server.get('tickets')!;
  const edits = made.filter((m) => m.kind === 'edit');
  for (const e of edits) {
    const doc = tickets.get(e.docId);
    if (!doc) continue;
    if (doc[e.part!] === e.value) continue;
    if (edits.some((o) => o !== e && o.docId === e.docId && o.part === e.part && o.replaced === e.value)) continue;
    const records = (doc.editConflicts as { field: string; kept: string; lost: string }[] | undefined) ?? [];
    const json = JSON.stringify(e.value);
    if (records.some((r) => r.field === e.part && (r.lost === json || r.kept === json))) continue;
    // Refused on its device (the server never took that version): kept there, as the value or
    // as the lost edit in the refused version's own conflict records or the device's.
    const kept = refusal(e);
    if (kept && kept.doc?.[e.part!] === e.value) continue;
    const keptRecords = (kept?.doc?.editConflicts as { field: string; lost: string }[] | undefined) ?? [];
    if (keptRecords.some((r) => r.field === e.part && r.lost === json)) continue;
    if (conflictsOn.get(e.device)?.some((c) => c.docId === e.docId && c.field === e.part && c.lost === json)) continue;
    const story = made
      .filter((m) => m.docId === e.docId)
      .map((m) => `${m.device} ${m.kind} ${m.part ?? ''} ${m.value ?? ''} (over ${m.replaced ?? '-'})`)
      .join('; ');
    const refusals = [...refusedOn.entries()]
      .flatMap(([d, byKey]) => [...byKey.values()].filter((r) => r.docId === e.docId).map((r) => `${d}: ${r.reason}`))
      .join('; ');
    problems.push(
      `the edit of ${e.part} of ${e.docId} on ${e.device} ("${e.value}") is lost without a conflict record; ` +
        `server: ${JSON.stringify(doc[e.part!])}, conflicts ${JSON.stringify(records)}; made: ${story}; refused: ${refusals || 'none'}`
    );
  }
  for (const doc of tickets.values())
    report.conflictRecords += ((doc.editConflicts as unknown[] | undefined) ?? []).length;

  const health = await fetch(`${opts.serverUrl}/api/health`);
  if (health.status !== 200) problems.push(`the server is not healthy (${health.status})`);
  return problems;
}
