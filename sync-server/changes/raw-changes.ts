/**
 * A store's `_changes` answer kept as the bytes it arrived in: the rows are located, not parsed.
 *
 * The batched pull passes a database's rows to the client as the store wrote them; it needs only
 * where each row starts and ends, its `id` (design documents are left out) and its `seq` (where
 * a cut page resumes). Parsing a page of 1,000 tickets (1.4 MB) into objects, serializing it again
 * and measuring the string for the compressor cost the server about 33 ms of its one thread per
 * page; locating the rows walks the bytes once. Nothing a row holds is judged here: the
 * authorization is per database (`batch.ts`) and decided before the store is asked.
 *
 * The walk follows JSON's grammar far enough to find the rows: strings (with their escapes),
 * nesting, and the members of the answer and of each row. UTF-8 never repeats an ASCII byte inside
 * a multi-byte character, so the delimiters cannot be mistaken. An answer that is not the expected
 * shape (`{"results": [ {row}, … ], "last_seq": …}`, members in any order, whitespace anywhere)
 * gives `null`, and the caller reports the store unavailable, as it did when the answer would not
 * parse. Values this reads (`id`, `seq`, `last_seq`) are parsed with `JSON.parse`, escapes included.
 */
import type { Seq } from '../../src/lib/domain/sync-protocol';

export interface RawRow {
  /** Position in the store's `results`. */
  index: number;
  /** Byte offsets of the row's object in the answer, `end` exclusive. */
  start: number;
  end: number;
  id: string;
  seq: Seq;
}

export interface RawChanges {
  body: Buffer;
  rows: RawRow[];
  lastSeq: Seq;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

class Malformed extends Error {}

const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/** The end (exclusive) of the string whose opening quote is at `at`. */
function stringEnd(buf: Buffer, at: number): number {
  for (let i = at + 1; i < buf.length; i++) {
    const b = buf[i];
    if (b === BACKSLASH) i++;
    else if (b === QUOTE) return i + 1;
  }
  throw new Malformed();
}

/** The end (exclusive) of the value starting at `at` (no leading whitespace). */
function valueEnd(buf: Buffer, at: number): number {
  const first = buf[at];
  if (first === QUOTE) return stringEnd(buf, at);
  if (first === OPEN_OBJECT || first === OPEN_ARRAY) {
    let depth = 0;
    for (let i = at; i < buf.length; i++) {
      const b = buf[i];
      if (b === QUOTE) i = stringEnd(buf, i) - 1;
      else if (b === OPEN_OBJECT || b === OPEN_ARRAY) depth++;
      else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
        if (--depth === 0) return i + 1;
      }
    }
    throw new Malformed();
  }
  // A number, true, false or null: up to the next delimiter.
  let i = at;
  while (i < buf.length) {
    const b = buf[i];
    if (b === COMMA || b === CLOSE_OBJECT || b === CLOSE_ARRAY || isSpace(b)) break;
    i++;
  }
  if (i === at) throw new Malformed();
  return i;
}

function skipSpace(buf: Buffer, at: number): number {
  while (at < buf.length && isSpace(buf[at])) at++;
  return at;
}

function expectByte(buf: Buffer, at: number, byte: number): number {
  if (buf[at] !== byte) throw new Malformed();
  return at + 1;
}

const parseSlice = (buf: Buffer, start: number, end: number): unknown => JSON.parse(buf.toString('utf8', start, end));

/**
 * Walks the members of the object opening at `at`, calling `member(name, valueStart)`, which
 * returns the value's end. Returns the end of the object.
 */
function members(buf: Buffer, at: number, member: (name: string, valueStart: number) => number): number {
  let i = skipSpace(buf, expectByte(buf, at, OPEN_OBJECT));
  if (buf[i] === CLOSE_OBJECT) return i + 1;
  for (;;) {
    if (buf[i] !== QUOTE) throw new Malformed();
    const nameEnd = stringEnd(buf, i);
    const name = parseSlice(buf, i, nameEnd) as string;
    i = skipSpace(buf, expectByte(buf, skipSpace(buf, nameEnd), COLON));
    i = skipSpace(buf, member(name, i));
    if (buf[i] === COMMA) i = skipSpace(buf, i + 1);
    else return expectByte(buf, i, CLOSE_OBJECT);
  }
}

function row(buf: Buffer, at: number, index: number): RawRow {
  let id: unknown;
  let seq: unknown;
  const end = members(buf, at, (name, start) => {
    const valueStop = valueEnd(buf, start);
    if (name === 'id') id = parseSlice(buf, start, valueStop);
    else if (name === 'seq') seq = parseSlice(buf, start, valueStop);
    return valueStop;
  });
  if (typeof id !== 'string' || (typeof seq !== 'string' && typeof seq !== 'number')) throw new Malformed();
  return { index, start: at, end, id, seq };
}

function results(buf: Buffer, at: number, rows: RawRow[]): number {
  let i = skipSpace(buf, expectByte(buf, at, OPEN_ARRAY));
  if (buf[i] === CLOSE_ARRAY) return i + 1;
  for (;;) {
    const r = row(buf, i, rows.length);
    rows.push(r);
    i = skipSpace(buf, r.end);
    if (buf[i] === COMMA) i = skipSpace(buf, i + 1);
    else return expectByte(buf, i, CLOSE_ARRAY);
  }
}

/** Locates the rows of a `_changes` answer; `null` when it is not one. */
export function scanChanges(body: Buffer): RawChanges | null {
  const rows: RawRow[] = [];
  let lastSeq: unknown;
  let sawResults = false;
  try {
    const end = members(body, skipSpace(body, 0), (name, start) => {
      if (name === 'results') {
        sawResults = true;
        return results(body, start, rows);
      }
      const stop = valueEnd(body, start);
      if (name === 'last_seq') lastSeq = parseSlice(body, start, stop);
      return stop;
    });
    if (skipSpace(body, end) !== body.length) return null;
  } catch (err) {
    if (err instanceof Malformed || err instanceof SyntaxError) return null;
    throw err;
  }
  if (!sawResults || (typeof lastSeq !== 'string' && typeof lastSeq !== 'number')) return null;
  return { body, rows, lastSeq };
}
