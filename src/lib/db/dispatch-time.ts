/**
 * The winter screens read the deník through an index on the time that decides an entry's order
 * (the server's receipt, else the device's creation, `decidingTime` in the dispatch domain):
 * a season holds tens of thousands of entries, and the desk needs the last days and the
 * calamity declarations, not all of it. Dexie indexes only required fields and `receivedAt`
 * arrives with the server's copy, so the device keeps that time as a required top-level field,
 * `decidedAt`.
 *
 * The field is the device's alone: the shared schema (what the gateway validates) does not have
 * it. The codec adds it to every document pulled from the server (the server's copy carries its
 * receipt) and removes it from every document pushed, the collection's hooks set it on every
 * local insert, and the conflict handler derives it again (`derived-fields.ts`).
 */
import { deviceField } from './device-field';

export const DECIDED_FIELD = 'decidedAt';

/** The field's definition in the device's dispatch schema (an ISO time). */
export const DECIDED_FIELD_SCHEMA = { type: 'string', maxLength: 40 } as const;

export const decidedAtOf = (doc: Record<string, unknown>): string => {
  const at = doc.receivedAt ?? doc.createdAt;
  return typeof at === 'string' ? at : '';
};

const decidedField = deviceField(DECIDED_FIELD, decidedAtOf);
export const withDecidedAt = decidedField.with;
/** Deník entries from and to CouchDB: the local field added on the way in, removed on the way out. */
export const dispatchCouch = decidedField.couch;
/** Every local entry carries the field (entries are never edited, but a save keeps it true). */
export const keepDecidedAt = decidedField.keep;

/**
 * Days of the deník the desk, the map and the crews' screens read: a treatment interval is
 * hours, so a section untreated for longer is overdue whatever its last treatment was.
 */
export const RECENT_DAYS = 7;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Where the screens' window of `RECENT_DAYS` starts at `nowMs`: on the hour, so it moves once an hour. */
export function recentFrom(nowMs: number): string {
  return new Date(Math.floor(nowMs / HOUR_MS) * HOUR_MS - RECENT_DAYS * DAY_MS).toISOString();
}

/** A query of the deník through the `decidedAt` indexes (`collections.ts`), oldest first. */
export interface DenikQuery {
  selector: Record<string, unknown>;
  sort: Record<string, 'asc'>[];
}

/**
 * What the winter screens read: the entries decided from `fromIso` on, and the calamity
 * declarations before it (a district may be in calamity mode since weeks).
 */
export function recentQueries(fromIso: string): { recent: DenikQuery; olderCalamities: DenikQuery } {
  return {
    recent: { selector: { [DECIDED_FIELD]: { $gte: fromIso } }, sort: [{ [DECIDED_FIELD]: 'asc' }] },
    olderCalamities: {
      selector: { entry: 'calamity', [DECIDED_FIELD]: { $lt: fromIso } },
      sort: [{ entry: 'asc' }, { [DECIDED_FIELD]: 'asc' }]
    }
  };
}

/** The entries decided within [fromIso, toIso). */
export function rangeQuery(fromIso: string, toIso: string): DenikQuery {
  return {
    selector: { [DECIDED_FIELD]: { $gte: fromIso, $lt: toIso } },
    sort: [{ [DECIDED_FIELD]: 'asc' }]
  };
}

/**
 * The entries a day of the deník (`YYYY-MM-DD`, Prague time) may hold, whatever its age: the UTC
 * day before to the UTC day after, as a Prague day lies within them (`denikDay` keeps its own).
 */
export function dayQuery(day: string): DenikQuery {
  const start = Date.parse(`${day}T00:00:00Z`);
  return rangeQuery(new Date(start - DAY_MS).toISOString(), new Date(start + 2 * DAY_MS).toISOString());
}
