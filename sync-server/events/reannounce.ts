/**
 * How often a database is named to the event streams. Every stream told of a change pulls at
 * once, so an organization's busy database (500 people, a change every 10 s each: four a second
 * in each of 13 organizations) cost one pull per reader per change. A database that many streams
 * read (`HOLD_FROM_READERS`) is therefore named at most once per `REANNOUNCE_MS`: the first
 * change after a quiet interval goes out with its batch; later ones wait for the interval's end
 * and go out together, under the id of the latest batch held. A database few streams read is
 * named at every change: its pulls are few, and the person at the other desk sees an edit at
 * once, not up to a second later. The interval is shorter than the notifier's clock margin
 * (`CLOCK_SKEW_MS`), so a client that reconnects with the id of a later event is still told of
 * a change held back before it.
 */
import { parseDbName } from '../../src/lib/domain/databases';
import { CLOCK_SKEW_MS } from './notifier';

export const REANNOUNCE_MS = 1_000;
/**
 * Streams from which a database's changes are held: below it, a change costs fewer pulls than
 * one busy organization's interval does (`EVENTS_HOLD_FROM_READERS`).
 */
export const HOLD_FROM_READERS = 20;
if (REANNOUNCE_MS >= CLOCK_SKEW_MS) throw new Error('held changes must stay within the clock margin of resumption');

/**
 * Databases always named at once: a winter crew's report is on the dispatcher's map the moment
 * it is stored (read by a dispatch desk, the IZS and the district's crews: few streams, so
 * their pulls are cheap), not up to a second later when reports come in quick succession.
 */
export const namedAtOnce = (db: string) => parseDbName(db)?.collection === 'dispatch';

/**
 * Names changed databases through `name(id, dbs)`: those `readers` says at least `holdFrom`
 * streams read at most once per interval, the others at every change.
 */
export class Reannouncer {
  /** db → when it was last named; db → the id of the latest batch held back. */
  private readonly lastNamed = new Map<string, number>();
  private readonly held = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private readonly forget: NodeJS.Timeout;

  constructor(
    private readonly name: (id: string, dbs: readonly string[]) => void,
    /** How many open streams read `db`, counted up to `atLeast` (enough to decide). */
    private readonly readers: (db: string, atLeast: number) => number,
    private readonly holdFrom: number = HOLD_FROM_READERS
  ) {
    // Ever named and quiet for a while: forgotten, so the map holds only busy databases.
    this.forget = setInterval(() => {
      const old = Date.now() - REANNOUNCE_MS;
      for (const [db, t] of this.lastNamed) if (t < old && !this.held.has(db)) this.lastNamed.delete(db);
    }, 60_000);
    this.forget.unref();
  }

  /** A batch of the change feed: its databases are named now or held for the interval's end. */
  changed(id: string, dbs: readonly string[]): void {
    const now = Date.now();
    const due: string[] = [];
    for (const db of dbs) {
      if (namedAtOnce(db) || (!this.held.has(db) && this.readers(db, this.holdFrom) < this.holdFrom)) due.push(db);
      else if (this.held.has(db) || now - (this.lastNamed.get(db) ?? -Infinity) < REANNOUNCE_MS)
        this.held.set(db, Number(id));
      else {
        due.push(db);
        this.lastNamed.set(db, now);
      }
    }
    if (due.length > 0) this.name(id, due);
    this.schedule(now);
  }

  close(): void {
    clearInterval(this.forget);
    if (this.timer) clearTimeout(this.timer);
  }

  private release(): void {
    this.timer = null;
    const now = Date.now();
    const due = [...this.held].filter(([db]) => now - (this.lastNamed.get(db) ?? 0) >= REANNOUNCE_MS);
    if (due.length > 0) {
      for (const [db] of due) {
        this.held.delete(db);
        this.lastNamed.set(db, now);
      }
      this.name(String(Math.max(...due.map(([, id]) => id))), due.map(([db]) => db).sort());
    }
    this.schedule(now);
  }

  private schedule(now: number): void {
    if (this.timer || this.held.size === 0) return;
    const next = Math.min(...[...this.held.keys()].map((db) => (this.lastNamed.get(db) ?? 0) + REANNOUNCE_MS));
    this.timer = setTimeout(() => this.release(), Math.max(0, next - now));
  }
}
