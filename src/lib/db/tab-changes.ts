/**
 * The app's docs stores tell the other tabs of their writes themselves, in one ordered stream
 * per store, and tell of the direct writes (`first-sync-write.ts`) by id, not by content.
 *
 * RxDB's multi-instance support posts every event bulk a storage instance emits, documents
 * included, to the other tabs over a `BroadcastChannel`: the page structured-clones each page of
 * a first sync (1,000 tickets, 1.4 MB) whether or not another tab is open. In a profile of a
 * 10,000-ticket first sync the post took 188 ms of the page's thread, and switching RxDB's
 * channel off was 0.4 s faster (seven pairs). For the stores attached here (created without
 * RxDB's multi-instance support, `lean-store.ts`):
 * - every write RxDB makes is posted whole, as RxDB's channel did;
 * - a direct write (`emit`) goes to this instance's listeners whole and to the other tabs as
 *   ids; each reads those documents from its own connection, after the write has committed,
 *   and emits what RxDB's channel would have brought;
 * - a tab handles one store's messages strictly in the order they were posted: a later write's
 *   bulk waits until the ids before it have been read and emitted, so nobody hears a change of
 *   a document before its insert (RxDB's live queries would then list it twice);
 * - other instances of the same store in this tab hear every bulk whole, as from RxDB's channel.
 * A tab with nobody listening costs a message of ids per direct write.
 */
import { Subject, mergeWith, type Observable, type Subscription } from 'rxjs';
import type { RxDocumentData } from 'rxdb';
import { KeyedQueue } from '../domain/keyed-queue';
import type { EventBulk } from './dexie-internals';

type Row = RxDocumentData<Record<string, unknown>>;
/** An event bulk as RxDB's storages emit it (any operation). */
type AnyBulk = { id: string; events: unknown[]; checkpoint: unknown; context: string };

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

/** What crosses to the other tabs: which store, and a whole bulk or the ids of a direct write. */
export type TabMessage = { collectionName: string; version: number } & (
  { bulk: AnyBulk } | { ids: string[]; id: string; checkpoint: EventBulk['checkpoint']; context: string }
);

/** The channel one tab speaks on, per database; its own messages never come back to it. */
export interface TabChannel {
  post(message: TabMessage): void;
  listen(fn: (message: TabMessage) => void): void;
  close(): void;
}

/** The browser's `BroadcastChannel`: one object per database and tab. */
export function broadcastTabChannel(name: string): TabChannel {
  const bc = new BroadcastChannel(name);
  return {
    post: (message) => bc.postMessage(message),
    listen(fn) {
      bc.onmessage = (e: MessageEvent<TabMessage>) => fn(e.data);
    },
    close: () => bc.close()
  };
}

/** Whether this browser lets tabs talk; without it the stores keep RxDB's own channel. */
export const tabsCanTalk = () => typeof BroadcastChannel === 'function';

const key = (databaseName: string, collectionName: string, version: number) =>
  `${databaseName}|${collectionName}|${version}`;

interface Entry {
  instance: TabInstance;
  /** Database, collection and schema version: the instances of one store share it. */
  storeKey: string;
  channel: TabChannel;
  local: Subject<AnyBulk>;
  detached: boolean;
}

/**
 * One tab's attached instances (`attach`) and the channel between this tab and the others.
 */
export class TabChanges {
  readonly #own = new WeakMap<object, Entry>();
  readonly #byStore = new Map<string, Set<Entry>>();
  readonly #channels = new Map<string, { channel: TabChannel; users: number }>();
  /** Each store's messages from other tabs, one after another. */
  readonly #inOrder = new KeyedQueue();

  constructor(readonly openChannel: (name: string) => TabChannel = broadcastTabChannel) {}

  /**
   * From now on the instance's change stream also carries what `emit` gives it and what other
   * tabs tell of its store, and this tab tells the others of every write the instance makes.
   * The instance must have been created without RxDB's multi-instance support.
   */
  attach(instance: TabInstance): void {
    if (this.#own.has(instance)) return;
    const storeKey = key(instance.databaseName, instance.collectionName, instance.schema.version);
    const entry: Entry = {
      instance,
      storeKey,
      channel: this.#channelOf(instance.databaseName),
      local: new Subject<AnyBulk>(),
      detached: false
    };
    const peers = this.#byStore.get(storeKey) ?? new Set();
    peers.add(entry);
    this.#byStore.set(storeKey, peers);
    this.#own.set(instance, entry);

    const written = instance.changeStream();
    // RxDB's own writes: to the other tabs whole, and to this tab's other instances of the store.
    const told: Subscription = written.subscribe((bulk) => this.#tell(entry, bulk as AnyBulk));
    instance.changeStream = () => entry.local.asObservable().pipe(mergeWith(written));
    const detach = () => {
      if (entry.detached) return;
      entry.detached = true;
      told.unsubscribe();
      peers.delete(entry);
      if (!peers.size && this.#byStore.get(storeKey) === peers) this.#byStore.delete(storeKey);
      entry.local.complete();
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
    const entry = this.#own.get(instance);
    return !!entry && !entry.detached;
  }

  /** A direct write's bulk: to this instance's listeners and this tab's others whole, to other tabs as ids. */
  emit(instance: TabInstance, bulk: EventBulk): void {
    const entry = this.#own.get(instance);
    if (!entry || entry.detached) throw new Error('tab changes: the instance is not attached');
    entry.local.next(bulk);
    this.#tell(
      entry,
      bulk,
      bulk.events.map((e) => e.documentId)
    );
  }

  /** A bulk to this tab's other instances of the store, and to the other tabs (as `ids` when given). */
  #tell(from: Entry, bulk: AnyBulk, ids?: string[]): void {
    for (const peer of this.#byStore.get(from.storeKey) ?? [])
      if (peer !== from && !peer.detached) peer.local.next(bulk);
    const { collectionName, schema } = from.instance;
    const { id, checkpoint, context } = bulk;
    try {
      from.channel.post(
        ids
          ? {
              collectionName,
              version: schema.version,
              ids,
              id,
              checkpoint: checkpoint as EventBulk['checkpoint'],
              context
            }
          : { collectionName, version: schema.version, bulk }
      );
    } catch (err) {
      // A bulk the browser cannot copy (RxDB's channel made the same call): this tab keeps it,
      // the other tabs' lists miss it until they read the store again.
      console.warn('Another tab was not told of a write:', err);
    }
  }

  #channelOf(databaseName: string): TabChannel {
    let held = this.#channels.get(databaseName);
    if (!held) {
      const channel = this.openChannel(`ict-tab-changes|${databaseName}`);
      channel.listen((message) => this.#heard(databaseName, message));
      held = { channel, users: 0 };
      this.#channels.set(databaseName, held);
    }
    held.users++;
    return held.channel;
  }

  #releaseChannel(databaseName: string): void {
    const held = this.#channels.get(databaseName);
    if (!held || --held.users > 0) return;
    held.channel.close();
    this.#channels.delete(databaseName);
  }

  /** Another tab wrote: its bulks in the order it posted them, a direct write's documents read here first. */
  #heard(databaseName: string, message: TabMessage): void {
    const storeKey = key(databaseName, message.collectionName, message.version);
    if (!this.#byStore.get(storeKey)?.size) return;
    void this.#inOrder
      .run(storeKey, async () => {
        const live = () => [...(this.#byStore.get(storeKey) ?? [])].filter((e) => !e.detached);
        // One read for this tab: its instances of the store share the store.
        const bulk = 'bulk' in message ? message.bulk : await this.#read(live()[0], message);
        if (bulk) for (const entry of live()) entry.local.next(bulk);
      })
      .catch(() => undefined);
  }

  async #read(entry: Entry | undefined, message: Extract<TabMessage, { ids: string[] }>): Promise<EventBulk | null> {
    if (!entry) return null;
    let rows: Row[];
    try {
      rows = await entry.instance.findDocumentsById(message.ids, false);
    } catch {
      // Closed meanwhile: nobody here listens any more.
      return null;
    }
    const primary = entry.instance.primaryPath;
    const byId = new Map(rows.map((r) => [String(r[primary]), r]));
    const events = message.ids
      .map((id) => byId.get(id))
      .filter((r): r is Row => !!r)
      .map((documentData) => ({
        documentId: String(documentData[primary]),
        operation: 'INSERT' as const,
        documentData,
        previousDocumentData: undefined
      }));
    return events.length ? { id: message.id, events, checkpoint: message.checkpoint, context: message.context } : null;
  }
}

/** This tab's (the app's storage attaches its docs stores, `lean-store.ts`). */
export const tabChanges = new TabChanges();
