/**
 * A store's write times never run backwards, whatever the device's clock did.
 *
 * RxDB stamps every write with the device's clock (`_meta.lwt`) and its replication reads what
 * to push as "written after the last pushed write" by that stamp. A device whose clock ran fast
 * (set by hand, a reset battery, a bad network time) stamped its writes in the future; once the
 * clock is right again and the app restarted, a new edit is stamped before them, and an edit
 * made offline then (not pushed live before the app closed) would not be found by the next
 * start's replication until the clock caught up: days, or a year.
 *
 * So a write stamped no later than the newest stamp in the store is stamped just after it
 * instead (the newest is read once per session, from `[_meta.lwt+<primary>]`, and followed
 * through the instance's change stream: this tab's writes and, with RxDB's multi-tab support,
 * the other tabs' writes that RxDB announces (all but inserts of documents already deleted, which
 * no list shows), so two tabs open on one store do not stamp each other's times again, which
 * would leave the later edit behind a push checkpoint). While the clock is right nothing
 * changes: RxDB's own stamp is kept, ties of one bulk write included. Only the order matters to RxDB (its checkpoint compares
 * stamps; its conflict check compares revisions), so a stamp a little ahead of the clock is
 * harmless.
 */
import type { RxDocumentData } from 'rxdb';
import type { Observable } from 'rxjs';
import type { DexieInstance } from './dexie-internals';

type Row = RxDocumentData<Record<string, unknown>>;
type WriteRow = { previous?: Row; document: Row };
type BulkWrite = (rows: WriteRow[], context: string) => Promise<unknown>;
/** What this code reads of an event bulk: its checkpoint is the newest write it holds. */
type WrittenBulk = { checkpoint?: { lwt?: unknown } | null };
interface OrderedInstance extends DexieInstance {
  bulkWrite: BulkWrite;
  changeStream(): Observable<WrittenBulk>;
  close(): Promise<void>;
}

/** The next stamp after `t`, in RxDB's steps of a hundredth of a millisecond. */
const after = (t: number) => Math.round(t * 100 + 1) / 100;

/** Makes `instance.bulkWrite` stamp every write after the newest one its store holds. */
export function keepWriteOrder(instance: OrderedInstance): void {
  const write = instance.bulkWrite.bind(instance);
  let known = 0;
  let loaded: Promise<void> | null = null;
  const heard = instance.changeStream().subscribe((bulk) => {
    const lwt = bulk.checkpoint?.lwt;
    if (typeof lwt === 'number') known = Math.max(known, lwt);
  });
  const close = instance.close.bind(instance);
  instance.close = () => {
    heard.unsubscribe();
    return close();
  };
  instance.bulkWrite = async (rows, context) => {
    loaded ??= newestStamp(instance).then((t) => {
      known = Math.max(known, t);
    });
    await loaded;
    // From here to the write nothing yields: writes started together compare in turn.
    const floor = known;
    let behind: number | null = null;
    const stamped = rows.map((row) => {
      const lwt = row.document._meta.lwt;
      if (lwt > floor) {
        known = Math.max(known, lwt);
        return row;
      }
      // One stamp for the whole write, as RxDB gives one.
      behind ??= after(floor);
      known = Math.max(known, behind);
      // A new `_meta`: RxDB shares one object between the rows of an insert.
      return { ...row, document: { ...row.document, _meta: { ...row.document._meta, lwt: behind } } };
    });
    return write(stamped, context);
  };
}

/** The newest write time in the store (0 when it is empty or cannot be read). */
async function newestStamp(instance: DexieInstance): Promise<number> {
  try {
    const state = await instance.internals;
    const last = await state.dexieTable.orderBy(`[_meta.lwt+${instance.primaryPath}]`).last();
    const lwt = (last?._meta as { lwt?: unknown } | undefined)?.lwt;
    return typeof lwt === 'number' ? lwt : 0;
  } catch {
    return 0;
  }
}
