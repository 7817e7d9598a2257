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

  private scan(chunk: Buffer): void {
    let passStart = 0;
    let elementStart = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (this.mode === 'element') {
        if (this.string(b)) continue;
        if (b === QUOTE) this.inString = true;
        else if (OPEN.has(b)) this.depth++;
        else if (CLOSE.has(b) && --this.depth === 2) {
          this.pending.push(Buffer.from(chunk.subarray(elementStart, i + 1)));
          this.endElement();
          this.mode = 'between';
        }
        continue;
      }
      if (this.mode === 'between') {
        // Whitespace passes (a longpoll's heartbeats come here, between the rows); commas are
        // written anew in front of each row kept.
        if (isSpace(b)) {
          this.push(chunk.subarray(i, i + 1));
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
          if (i + 1 > passStart) this.push(chunk.subarray(passStart, i + 1));
          this.mode = 'between';
          this.written = 0;
        }
      } else if (CLOSE.has(b)) this.depth--;
      else if (!isSpace(b) && b !== 0x3a) this.lastKey = ''; // a value that is not a string
    }
    if (this.mode === 'pass' && chunk.length > passStart) this.push(chunk.subarray(passStart));
    if (this.mode === 'element') this.pending.push(Buffer.from(chunk.subarray(elementStart)));
  }

  private endElement(): void {
    const element = Buffer.concat(this.pending as Uint8Array[]);
    this.pending = [];
    if (namesDesignDoc(element)) return;
    if (this.written++ > 0) this.push(',');
    this.push(element);
  }
}
