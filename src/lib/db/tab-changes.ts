/**
 * The direct writes' changes (`first-sync-write.ts`) told to the other tabs by id, not by content.
 *
 * RxDB's multi-instance support posts every event bulk a storage instance emits, documents
 * included, to the other tabs over a `BroadcastChannel`: the page structured-clones each page of
 * a first sync (1,000 tickets, 1.4 MB) whether or not another tab is open. In a profile of a
 * 10,000-ticket first sync the post took 188 ms of the page's thread, and the earlier
 * experiment with RxDB's channel off was 0.4 s faster (seven pairs). The direct writes'
 * events go instead to this instance's own listeners (`emit`), and the other tabs hear only the
 * ids (`TabChanges`): each reads those documents from its own connection to the same store,
 * after the write has committed, and emits what RxDB's channel would have brought. A tab
 * with nobody listening costs a message of ids.
 *
 * Every other write keeps RxDB's own channel.
 */
import { Subject, mergeWith, type Observable } from 'rxjs';
import type { RxDocumentData } from 'rxdb';
import type { EventBulk } from './dexie-internals';

type Row = RxDocumentData<Record<string, unknown>>;

/** What this module needs of a storage instance (RxDB's `RxStorageInstance`). */
export interface TabInstance {
  databaseName: string;
  collectionName: string;
  primaryPath: string;
  schema: { version: number };
  changeStream(): Observable<unknown>;
  findDocumentsById(ids: string[], withDeleted: boolean): Promise<Row[]>;
  close(): Promise<void>;
  remove(): Promise<void>;
}

/** What crosses to the other tabs: which store, which documents, and the bulk's own fields. */
export interface TabMessage {
  collectionName: string;
  version: number;
  id: string;
  ids: string[];
  checkpoint: EventBulk['checkpoint'];
  context: string;
}

/** The channel one tab speaks on, per database; its own messages never come back to it. */
export interface TabChannel {
  post(message: TabMessage): void;
  listen(fn: (message: TabMessage) => void): () => void;
}

/** The browser's `BroadcastChannel`, one per database and tab (never two objects of one name here). */
export function broadcastTabChannel(name: string): TabChannel {
  const bc = new BroadcastChannel(name);
  const listeners = new Set<(message: TabMessage) => void>();
  bc.onmessage = (e: MessageEvent<TabMessage>) => {
    for (const fn of listeners) fn(e.data);
  };
  return {
    post: (message) => bc.postMessage(message),
    listen(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    }
  };
}

const key = (databaseName: string, collectionName: string, version: number) =>
  `${databaseName}|${collectionName}|${version}`;

/**
 * One tab's instances that take the direct writes' changes (`attach`), and the channel between
 * this tab and the others.
 */
export class TabChanges {
  readonly #own = new WeakMap<object, { local: Subject<EventBulk>; channel: TabChannel }>();
  readonly #byStore = new Map<string, Set<{ instance: TabInstance; local: Subject<EventBulk> }>>();
  readonly #channels = new Map<string, { channel: TabChannel; users: number; stop: () => void }>();

  constructor(readonly openChannel: (name: string) => TabChannel = broadcastTabChannel) {}

  /**
   * From now on the instance's change stream also carries what `emit` gives it and what other
   * tabs tell of its store; both leave the instance's other listeners (RxDB's channel) out.
   */
  attach(instance: TabInstance): void {
    if (this.#own.has(instance)) return;
    const local = new Subject<EventBulk>();
    const channel = this.#channelOf(instance.databaseName);
    const entry = { instance, local };
    const storeKey = key(instance.databaseName, instance.collectionName, instance.schema.version);
    const peers = this.#byStore.get(storeKey) ?? new Set();
    peers.add(entry);
    this.#byStore.set(storeKey, peers);
    this.#own.set(instance, { local, channel });

    const changeStream = instance.changeStream.bind(instance);
    instance.changeStream = () => local.asObservable().pipe(mergeWith(changeStream()));
    let detached = false;
    const detach = () => {
      if (detached) return;
      detached = true;
      peers.delete(entry);
      if (!peers.size) this.#byStore.delete(storeKey);
      local.complete();
      this.#releaseChannel(instance.databaseName);
    };
    for (const end of ['close', 'remove'] as const) {
      const original = instance[end].bind(instance);
      instance[end] = async () => {
        detach();
        return original();
      };
    }
  }

  /** Whether `emit` reaches this instance's listeners (else the caller emits as RxDB would). */
  attached(instance: object): boolean {
    return this.#own.has(instance);
  }

  /** Tells this tab's listeners of the bulk, and the other tabs of its documents' ids. */
  emit(instance: TabInstance, bulk: EventBulk): void {
    const own = this.#own.get(instance);
    if (!own) throw new Error('tab changes: the instance was not attached');
    own.local.next(bulk);
    own.channel.post({
      collectionName: instance.collectionName,
      version: instance.schema.version,
      id: bulk.id,
      ids: bulk.events.map((e) => e.documentId),
      checkpoint: bulk.checkpoint,
      context: bulk.context
    });
  }

  #channelOf(databaseName: string): TabChannel {
    let held = this.#channels.get(databaseName);
    if (!held) {
      const channel = this.openChannel(`ict-tab-changes|${databaseName}`);
      const stop = channel.listen((message) => void this.#heard(databaseName, message));
      held = { channel, users: 0, stop };
      this.#channels.set(databaseName, held);
    }
    held.users++;
    return held.channel;
  }

  #releaseChannel(databaseName: string): void {
    const held = this.#channels.get(databaseName);
    if (!held || --held.users > 0) return;
    held.stop();
    this.#channels.delete(databaseName);
  }

  /** Another tab wrote these documents: read them here and emit them as RxDB's channel would have. */
  async #heard(databaseName: string, message: TabMessage): Promise<void> {
    const peers = this.#byStore.get(key(databaseName, message.collectionName, message.version));
    if (!peers?.size) return;
    for (const { instance, local } of peers) {
      let rows: Row[];
      try {
        rows = await instance.findDocumentsById(message.ids, false);
      } catch {
        // Closed meanwhile: nobody here listens any more.
        continue;
      }
      if (local.closed || !rows.length) continue;
      const byId = new Map(rows.map((r) => [String(r[instance.primaryPath]), r]));
      const events = message.ids
        .map((id) => byId.get(id))
        .filter((r): r is Row => !!r)
        .map((documentData) => ({
          documentId: String(documentData[instance.primaryPath]),
          operation: 'INSERT' as const,
          documentData,
          previousDocumentData: undefined
        }));
      if (events.length)
        local.next({ id: message.id, events, checkpoint: message.checkpoint, context: message.context });
    }
  }
}

/** This tab's (the app's storage attaches its docs stores, `lean-store.ts`). */
export const tabChanges = new TabChanges(
  typeof BroadcastChannel === 'function' ? broadcastTabChannel : () => ({ post() {}, listen: () => () => {} })
);
