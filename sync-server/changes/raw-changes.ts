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
 * The walk checks JSON's whole grammar (strings and their escapes, numbers, literals, nesting),
 * since the bytes go to the client as they are: a body `JSON.parse` would refuse must not pass.
 * UTF-8 never repeats an ASCII byte inside a multi-byte character, so the delimiters cannot be
 * mistaken. An answer that is not valid JSON of the expected shape (`{"results": [ {row}, … ],
 * "last_seq": …}`, members in any order, whitespace anywhere) gives `null`, and the caller
 * reports the store failing for that database, as it did when the answer would not parse. Values
 * this reads (names, `id`, `seq`, `last_seq`) are parsed with `JSON.parse`, escapes included.
 */
import type { Seq } from '../../src/lib/domain/sync-protocol';
import {
  BACKSLASH,
  CLOSE_ARRAY,
  CLOSE_OBJECT,
  COLON,
  COMMA,
  isSpace,
  OPEN_ARRAY,
  OPEN_OBJECT,
  QUOTE
} from '../json-bytes';

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

class Malformed extends Error {}

/** The end (exclusive) of the string whose opening quote is at `at`: escapes and control characters checked. */
function stringEnd(buf: Buffer, at: number): number {
  for (let i = at + 1; i < buf.length; i++) {
    const b = buf[i];
    if (b === QUOTE) return i + 1;
    if (b < 0x20) throw new Malformed();
    if (b === BACKSLASH) {
      const e = buf[++i];
      if (e === 0x75) {
        // \uXXXX
        for (let k = 1; k <= 4; k++) if (!isHex(buf[i + k])) throw new Malformed();
        i += 4;
      } else if (!SIMPLE_ESCAPES.has(e)) throw new Malformed();
    }
  }
  throw new Malformed();
}

const SIMPLE_ESCAPES = new Set([QUOTE, BACKSLASH, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]); // " \ / b f n r t
const isHex = (b: number) => (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
const isDigit = (b: number) => b >= 0x30 && b <= 0x39;

function digitsEnd(buf: Buffer, at: number): number {
  if (!isDigit(buf[at])) throw new Malformed();
  while (isDigit(buf[at])) at++;
  return at;
}

/** The end of a number, true, false or null starting at `at`, by JSON's grammar. */
function scalarEnd(buf: Buffer, at: number): number {
  const b = buf[at];
  for (const word of WORDS) if (b === word[0]) return matchWord(buf, at, word);
  let i = at;
  if (buf[i] === 0x2d) i++; // -
  if (buf[i] === 0x30) i++;
  else i = digitsEnd(buf, i);
  if (buf[i] === 0x2e) i = digitsEnd(buf, i + 1); // .
  if (buf[i] === 0x65 || buf[i] === 0x45) {
    // e E
    i++;
    if (buf[i] === 0x2b || buf[i] === 0x2d) i++;
    i = digitsEnd(buf, i);
  }
  return i;
}

const WORDS = ['true', 'false', 'null'].map((w) => Buffer.from(w));

function matchWord(buf: Buffer, at: number, word: Buffer): number {
  if (!spells(buf, at, word)) throw new Malformed();
  return at + word.length;
}

/** Whether the bytes at `at` are `token`'s, compared in place (no string, no copy). */
function spells(buf: Buffer, at: number, token: Buffer): boolean {
  for (let k = 0; k < token.length; k++) if (buf[at + k] !== token[k]) return false;
  return true;
}

/** After a member's name (a string at `at`): the position after its colon and the space after it. */
function afterName(buf: Buffer, at: number): number {
  return afterColon(buf, nameEnd(buf, at));
}

function nameEnd(buf: Buffer, at: number): number {
  if (buf[at] !== QUOTE) throw new Malformed();
  return stringEnd(buf, at);
}

const afterColon = (buf: Buffer, at: number) => skipSpace(buf, expectByte(buf, skipSpace(buf, at), COLON));

/**
 * The end (exclusive) of the value starting at `at` (no leading whitespace), checked against
 * JSON's grammar all the way down, so that nothing passed on is a body `JSON.parse` would refuse.
 * Iterative (a stack of open containers, `true` for an object): a deep document cannot overflow.
 */
function valueEnd(buf: Buffer, at: number): number {
  // One stack for every call (a walk never runs inside another): a new one per value was about half
  // of what a page's scan allocated, garbage for the server's collector.
  const open = OPEN;
  open.length = 0;
  let i = at;
  for (;;) {
    // A value starts at i.
    const b = buf[i];
    if (b === QUOTE) i = stringEnd(buf, i);
    else if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
      const isObject = b === OPEN_OBJECT;
      i = skipSpace(buf, i + 1);
      if (buf[i] === (isObject ? CLOSE_OBJECT : CLOSE_ARRAY)) i++;
      else {
        open.push(isObject);
        if (isObject) i = afterName(buf, i);
        continue;
      }
    } else i = scalarEnd(buf, i);
    // After a value: close what ends here, then either the next element or the end.
    for (;;) {
      if (open.length === 0) return i;
      i = skipSpace(buf, i);
      const inObject = open[open.length - 1];
      if (buf[i] === COMMA) {
        i = skipSpace(buf, i + 1);
        if (inObject) i = afterName(buf, i);
        break;
      }
      i = expectByte(buf, i, inObject ? CLOSE_OBJECT : CLOSE_ARRAY);
      open.pop();
    }
  }
}

const OPEN: boolean[] = [];

function skipSpace(buf: Buffer, at: number): number {
  while (at < buf.length && isSpace(buf[at])) at++;
  return at;
}

function expectByte(buf: Buffer, at: number, byte: number): number {
  if (buf[at] !== byte) throw new Malformed();
  return at + 1;
}

const parseSlice = (buf: Buffer, start: number, end: number): unknown => JSON.parse(buf.toString('utf8', start, end));

/** Whether the bytes from `start` to `end` hold a backslash (a string token with escapes). */
function hasEscape(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i] === BACKSLASH) return true;
  return false;
}

/** A string token's value: its bytes read as they are when it holds no escape, else as JSON. */
function stringValue(buf: Buffer, start: number, end: number): string {
  return hasEscape(buf, start, end)
    ? (parseSlice(buf, start, end) as string)
    : buf.toString('utf8', start + 1, end - 1);
}

/** The member names this reads; any other name is only walked past. */
const NAMES = ['id', 'seq', 'results', 'last_seq'] as const;
type Name = (typeof NAMES)[number];
const NAME_TOKENS = NAMES.map((n) => Buffer.from(JSON.stringify(n)));

/**
 * Which of `NAMES` the name token from `start` to `end` spells, without making a string of it
 * (four names a row, two strings each when parsed: 8,000 for a page of 1,000 documents); null
 * for any other.
 */
function nameOf(buf: Buffer, start: number, end: number): Name | null {
  for (let k = 0; k < NAMES.length; k++)
    if (NAME_TOKENS[k].length === end - start && spells(buf, start, NAME_TOKENS[k])) return NAMES[k];
  if (!hasEscape(buf, start, end)) return null;
  const name = parseSlice(buf, start, end) as string;
  return (NAMES as readonly string[]).includes(name) ? (name as Name) : null;
}

/**
 * Walks the members of the object opening at `at`, calling `member(name, valueStart)`, which
 * returns the value's end. Returns the end of the object.
 */
function members(buf: Buffer, at: number, member: (name: Name | null, valueStart: number) => number): number {
  let i = skipSpace(buf, expectByte(buf, at, OPEN_OBJECT));
  if (buf[i] === CLOSE_OBJECT) return i + 1;
  for (;;) {
    const end = nameEnd(buf, i);
    i = skipSpace(buf, member(nameOf(buf, i, end), afterColon(buf, end)));
    if (buf[i] === COMMA) i = skipSpace(buf, i + 1);
    else return expectByte(buf, i, CLOSE_OBJECT);
  }
}

function row(buf: Buffer, at: number, index: number): RawRow {
  let id: unknown;
  let seq: unknown;
  const end = members(buf, at, (name, start) => {
    const valueStop = valueEnd(buf, start);
    if (name === 'id') id = buf[start] === QUOTE ? stringValue(buf, start, valueStop) : null;
    else if (name === 'seq')
      seq = buf[start] === QUOTE ? stringValue(buf, start, valueStop) : parseSlice(buf, start, valueStop);
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
        // JSON.parse keeps the last of repeated members; two row lists are not an answer to pass on.
        if (sawResults) throw new Malformed();
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
