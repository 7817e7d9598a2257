/**
 * Composite pull checkpoint: one collection is fed by several CouchDB databases (one per
 * organization), so its checkpoint holds the last `_changes` sequence of each of them.
 * Sequences are opaque (numbers on PouchDB Server, strings on CouchDB 3) and are only
 * ever passed back as `since`. A database missing from the checkpoint starts at 0, which
 * is how a newly granted organization gets its full history.
 */
import {
  MAX_BATCH_DOCS,
  type BatchChange,
  type BatchChangesResponse,
  type BatchDbChanges,
  type BatchRefusal
} from '../domain/sync-protocol';

export type Seq = string | number;
export interface CompositeCheckpoint {
  seqs: Record<string, Seq>;
}

/** One batched request's sequences, by database. */
export type SinceMap = Record<string, Seq>;

/** One batched changes request as a comparable key (databases in the order asked). */
export const requestKey = (since: SinceMap, limit: number) => JSON.stringify([limit, Object.entries(since)]);

export function sinceFor(checkpoint: CompositeCheckpoint | undefined | null, db: string): Seq {
  return checkpoint?.seqs?.[db] ?? 0;
}

/**
 * The batched request that reads `dbs` on from `checkpoint`, for at most `room` documents: the
 * pull's (`pull.ts`) and the one a new device asks before its pull runs (`early-pull.ts`), which
 * the pull takes only if the two are equal (`requestKey`).
 */
export function pageRequest(
  dbs: readonly string[],
  checkpoint: CompositeCheckpoint | undefined | null,
  room: number
): { since: SinceMap; limit: number } {
  return {
    since: Object.fromEntries(dbs.map((db) => [db, sinceFor(checkpoint, db)])),
    limit: Math.min(MAX_BATCH_DOCS, room)
  };
}

/**
 * What a batched answer says of one database it was asked for: its page (`read`, read on while
 * `more`), access withdrawn or the database gone (`withdrawn`, left alone), or not read
 * (`unread`: the answer was full, or the server failed on it, `failed`). The pull (`pull.ts`)
 * and the page a new device asks after its first (`early-pull.ts`) read an answer through this
 * function, so that both mark the same databases to be read again.
 */
export type DbOutcome =
  | { kind: 'read'; page: BatchDbChanges }
  | { kind: 'withdrawn'; refusal: BatchRefusal }
  | { kind: 'unread'; failed?: BatchRefusal };

export function outcomeOf(answer: BatchChangesResponse, db: string): DbOutcome {
  const page = answer.results[db];
  if (page) return { kind: 'read', page };
  const refused = answer.refused[db];
  if (refused && (refused.status === 403 || refused.status === 404)) return { kind: 'withdrawn', refusal: refused };
  return refused ? { kind: 'unread', failed: refused } : { kind: 'unread' };
}

/** The database is read again after this answer: more of it follows, or it was not read. */
export const readsAgain = (o: DbOutcome): boolean => o.kind === 'unread' || (o.kind === 'read' && o.page.more);

type ChangeWithDoc = BatchChange & { doc: NonNullable<BatchChange['doc']> };

/** A page's changed documents (design documents are the server's, never the device's). */
export const changedDocs = (page: BatchDbChanges): ChangeWithDoc[] =>
  page.results.filter((r): r is ChangeWithDoc => !!r.doc && !r.id.startsWith('_design/'));

export function advance(checkpoint: CompositeCheckpoint | undefined | null, db: string, seq: Seq): CompositeCheckpoint {
  return { seqs: { ...(checkpoint?.seqs ?? {}), [db]: seq } };
}

/**
 * Which databases a collection still has to read: the ones marked changed, in a stable
 * order, limited to those the user may read now (a revoked database is never asked for).
 */
export function dbsToRead(dirty: ReadonlySet<string>, readable: readonly string[], max: number): string[] {
  return readable.filter((db) => dirty.has(db)).slice(0, max);
}

/**
 * Tracks which databases of one collection have changes not yet pulled. Everything starts
 * dirty (a fresh start must catch up everywhere); an event naming a database marks it again;
 * a read that returned a full page leaves it dirty because more may follow.
 */
export class DirtySet {
  private dirty = new Set<string>();
  /** Counts marks: a read started before a mark may not stand for what the mark announced. */
  version = 0;
  constructor(dbs: readonly string[]) {
    this.markAll(dbs);
  }
  markAll(dbs: readonly string[]): void {
    for (const db of dbs) this.dirty.add(db);
    this.version++;
  }
  mark(db: string): void {
    this.dirty.add(db);
    this.version++;
  }
  /** Counts `markReadsStale`: a read asked in an earlier era is read once more after it is taken. */
  era = 0;
  /**
   * Reads asked before now may lack a change that was announced to nobody (the event stream's
   * first connection): each, once its answer is taken, is followed by one more read of its databases.
   */
  markReadsStale(): void {
    this.era++;
  }
  /** The databases `take` would pick, left marked. */
  peek(readable: readonly string[], max: number): string[] {
    return dbsToRead(this.dirty, readable, max);
  }
  /** Takes databases out before reading them, so an event arriving mid-read marks them again. */
  take(readable: readonly string[], max: number): string[] {
    const picked = dbsToRead(this.dirty, readable, max);
    for (const db of picked) this.dirty.delete(db);
    return picked;
  }
  get size(): number {
    return this.dirty.size;
  }
  has(db: string): boolean {
    return this.dirty.has(db);
  }
}
