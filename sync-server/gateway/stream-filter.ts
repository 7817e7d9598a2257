/**
 * Removes design documents from `_changes` and `_all_docs` answers while they stream.
 *
 * The answer passes through byte by byte, except the elements of its top-level `results`
 * (changes) or `rows` (all-docs) array: each element is held until it is complete (one
 * document at most, which the gateway caps), dropped when it names a design document, and
 * written otherwise, with the commas between elements written anew. So the gateway never holds
 * more than one element of an answer, whatever its size. Whitespace outside the array (the
 * heartbeats of a longpoll) passes as it comes.
 *
 * The scanner follows JSON's structure only as far as needed: string boundaries (with
 * escapes) and nesting depth. Structural bytes are ASCII, so multi-byte UTF-8 sequences never
 * look like one.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { BACKSLASH, CLOSE_ARRAY, CLOSE_OBJECT, COMMA, isSpace, OPEN_ARRAY, OPEN_OBJECT, QUOTE } from '../json-bytes';

const DESIGN_MARK = Buffer.from('"_design/');
const ELEMENT_SEPARATOR = Buffer.from(',');
const OPEN = new Set([OPEN_OBJECT, OPEN_ARRAY]);
const CLOSE = new Set([CLOSE_OBJECT, CLOSE_ARRAY]);

/** Whether one element (a change or a row) names a design document. */
function namesDesignDoc(element: Buffer): boolean {
  if (!element.includes(DESIGN_MARK)) return false;
  const row = JSON.parse(element.toString('utf8')) as { id?: unknown; key?: unknown };
  const isDesign = (x: unknown) => typeof x === 'string' && x.startsWith('_design/');
  return isDesign(row?.id) || isDesign(row?.key);
}

type Mode = 'pass' | 'between' | 'element';

export class DesignDocFilter extends Transform {
  private mode: Mode = 'pass';
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Bytes of the string being read at depth 1 (a key, when a `[` follows it); short keys only. */
  private key: number[] = [];
  private lastKey = '';
  /** The current element's bytes from earlier chunks. */
  private pending: Buffer[] = [];
  private written = 0;

  constructor(private readonly arrayKey: 'results' | 'rows') {
    super();
  }

  _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      this.scan(chunk);
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  _flush(done: TransformCallback): void {
    done(this.mode === 'pass' ? null : new Error('the CouchDB answer ended in the middle of its list'));
  }

  /** Tracks strings; true when the byte was part of a string (or ended one). */
  private string(b: number): boolean {
    if (!this.inString) return false;
    if (this.escaped) this.escaped = false;
    else if (b === BACKSLASH) this.escaped = true;
    else if (b === QUOTE) this.inString = false;
    return true;
  }

  /**
   * Reads one chunk and pushes what passes as one buffer: the kept elements and the whitespace
   * between them are views of the chunk (an element that began in an earlier chunk is copied
   * until it ends), so nothing is copied or pushed per element. A chunk without the bytes
   * `"_design/` can hold no design row of its own.
   */
  private scan(chunk: Buffer): void {
    const out: Buffer[] = [];
    const mayNameDesign = chunk.includes(DESIGN_MARK);
    let passStart = 0;
    let elementStart = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (this.mode === 'element') {
        const end = this.elementEnd(chunk, i);
        if (end < 0) break;
        const tail = chunk.subarray(elementStart, end + 1);
        const spans = this.pending.length > 0;
        this.keep(out, spans ? this.whole(tail) : tail, spans || mayNameDesign);
        this.mode = 'between';
        i = end;
        continue;
      }
      if (this.mode === 'between') {
        // Whitespace passes (a longpoll's heartbeats come here, between the rows); commas are
        // written anew in front of each row kept.
        if (isSpace(b)) {
          let last = i;
          while (last + 1 < chunk.length && isSpace(chunk[last + 1])) last++;
          out.push(chunk.subarray(i, last + 1));
          i = last;
          continue;
        }
        if (b === COMMA) continue;
        if (b === 0x5d) {
          this.depth--;
          this.mode = 'pass';
          passStart = i;
          continue;
        }
        this.mode = 'element';
        elementStart = i;
        if (b === QUOTE) this.inString = true;
        else if (OPEN.has(b)) this.depth++;
        continue;
      }
      // pass: everything goes through; watch for the array's key and its `[`.
      if (this.inString) {
        const closing = !this.escaped && b === QUOTE;
        this.string(b);
        if (this.depth === 1) {
          if (closing) this.lastKey = Buffer.from(this.key).toString('utf8');
          else if (this.key.length < 32) this.key.push(b);
        }
        continue;
      }
      if (b === QUOTE) {
        this.inString = true;
        this.key = [];
      } else if (OPEN.has(b)) {
        this.depth++;
        if (b === 0x5b && this.depth === 2 && this.lastKey === this.arrayKey) {
          if (i + 1 > passStart) out.push(chunk.subarray(passStart, i + 1));
          this.mode = 'between';
          this.written = 0;
        }
      } else if (CLOSE.has(b)) this.depth--;
      else if (!isSpace(b) && b !== 0x3a) this.lastKey = ''; // a value that is not a string
    }
    if (this.mode === 'pass' && chunk.length > passStart) out.push(chunk.subarray(passStart));
    if (this.mode === 'element') this.pending.push(Buffer.from(chunk.subarray(elementStart)));
    if (out.length > 0) this.push(out.length === 1 ? out[0] : Buffer.concat(out as Uint8Array[]));
  }

  /** An element that began in an earlier chunk, whole: its earlier bytes and `tail`. */
  private whole(tail: Buffer): Buffer {
    const element = Buffer.concat([...this.pending, tail] as Uint8Array[]);
    this.pending = [];
    return element;
  }

  /** Adds a complete element to the output unless it names a design document (checked when it may). */
  private keep(out: Buffer[], element: Buffer, check: boolean): void {
    if (check && namesDesignDoc(element)) return;
    if (this.written++ > 0) out.push(ELEMENT_SEPARATOR);
    out.push(element);
  }

  /**
   * Where the element being read ends in `chunk` (the index of its closing bracket), reading
   * from `from`; -1 when it goes on past the chunk. Most of an answer's bytes are read here, so
   * the loop keeps its state in locals and compares bytes directly, with no call or set lookup
   * per byte. With one push per chunk (`scan`), a page of 1,000 tickets took the filter 3.9
   * instead of 5.9 ms, and a read of 10,000 through the gateway 30–45 ms less.
   *
   * Most of an element's bytes are inside strings, whose end is found by Buffer's native search
   * for the next quote and the next backslash, not byte by byte.
   */
  private elementEnd(chunk: Buffer, from: number): number {
    let { depth, inString, escaped } = this;
    let end = -1;
    // Where the next backslash and quote are: -2 not looked up yet, -1 none left in the chunk.
    // Each is kept until passed, so a string of many escapes is not searched to its end for each.
    let backslash = -2;
    let quote = -2;
    let i = from;
    while (i < chunk.length) {
      if (inString) {
        if (escaped) {
          escaped = false;
          i++;
          continue;
        }
        if (backslash !== -1 && backslash < i) backslash = chunk.indexOf(BACKSLASH, i);
        if (quote !== -1 && quote < i) quote = chunk.indexOf(QUOTE, i);
        if (backslash !== -1 && (quote === -1 || backslash < quote)) {
          // The byte after a backslash belongs to the string, whatever it is.
          escaped = true;
          i = backslash + 1;
          continue;
        }
        if (quote === -1) break; // the string goes on in the next chunk
        inString = false;
        i = quote + 1;
        continue;
      }
      const b = chunk[i];
      if (b === QUOTE) inString = true;
      else if (b === OPEN_OBJECT || b === OPEN_ARRAY) depth++;
      else if ((b === CLOSE_OBJECT || b === CLOSE_ARRAY) && --depth === 2) {
        end = i;
        break;
      }
      i++;
    }
    this.depth = depth;
    this.inString = inString;
    this.escaped = escaped;
    return end;
  }
}
