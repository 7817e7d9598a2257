/**
 * Removes design documents from `_changes` and `_all_docs` answers.
 *
 * An answer that names a design document is parsed and rewritten whole (fine for the few
 * thousand rows a page holds); any other passes through as it came. Meanwhile,
 * CouchDB's heartbeat newlines are passed on while it is collected: whitespace before a JSON
 * value is valid JSON, so a longpoll client keeps receiving its keep-alives and the rewritten
 * body follows them. Error answers pass through unchanged.
 */
import { PassThrough, type Readable } from 'node:stream';

const isDesign = (id: unknown) => typeof id === 'string' && id.startsWith('_design/');

export function withoutDesignDocs(kind: 'changes' | 'all-docs', body: unknown): unknown {
  if (!body || typeof body !== 'object') return body;
  const b = body as { results?: { id?: unknown }[]; rows?: { id?: unknown; key?: unknown }[] };
  if (kind === 'changes' && Array.isArray(b.results))
    return { ...b, results: b.results.filter((r) => !isDesign(r?.id)) };
  if (kind === 'all-docs' && Array.isArray(b.rows)) {
    const rows = b.rows.filter((r) => !isDesign(r?.id) && !isDesign(r?.key));
    return { ...b, rows };
  }
  return body;
}

const WHITESPACE = /^[\s]*$/;
const DESIGN_MARK = Buffer.from('"_design/');

/** A stream that emits heartbeats as they come and then the filtered JSON. */
export function filterStream(
  kind: 'changes' | 'all-docs',
  upstream: Readable,
  onError: (err: unknown) => void
): PassThrough {
  const out = new PassThrough();
  const parts: Buffer[] = [];
  upstream.on('data', (chunk: Buffer) => {
    parts.push(chunk);
    // A whitespace-only chunk is a heartbeat (or, rarely, a piece of the body: harmless either way).
    if (WHITESPACE.test(chunk.toString('latin1'))) out.write('\n');
  });
  upstream.on('end', () => {
    try {
      const whole = Buffer.concat(parts as Uint8Array[]);
      // Most pages hold no design document: pass them on as they came. Design document ids
      // never need JSON escaping, so the plain bytes `"_design/` find every one of them.
      if (!whole.includes(DESIGN_MARK)) {
        out.end(whole);
        return;
      }
      const parsed: unknown = JSON.parse(whole.toString('utf8'));
      out.end(JSON.stringify(withoutDesignDocs(kind, parsed)) + '\n');
    } catch (err) {
      onError(err);
      out.destroy(err as Error);
    }
  });
  upstream.on('error', (err) => {
    onError(err);
    out.destroy(err);
  });
  return out;
}
