/**
 * The batched pull's answer compressed in one piece, as the client accepts it.
 *
 * A page of 1,000 tickets is ~1.6 MB of JSON, about 105 KB as brotli at quality 4: what a phone
 * on a mobile network waits for. The answer is whole in memory before it is sent (`answerBytes`),
 * so it is compressed in one call on libuv's pool and sent with its length. `@fastify/compress`
 * streamed it instead (answers above its in-line threshold): the buffer through a brotli stream
 * whose output came in 16 KB chunks, each its own trip to the pool and its own chunk on the
 * socket. Ten such pages (one first sync of 10,000 tickets) cost the server 240–290 ms of CPU
 * against 100–120 ms uncompressed; one call per page compresses the same bytes for about 6 ms.
 */
import { Negotiator } from '@fastify/accept-negotiator';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

/** In the server's order of preference, for equal weights in the request. */
const ENCODINGS = ['br', 'gzip', 'identity'] as const;
export type AnswerEncoding = (typeof ENCODINGS)[number];

const negotiator = new Negotiator<AnswerEncoding>({ supportedValues: [...ENCODINGS] });

/** Below this an answer (a page of nothing new, a few ids) goes as it is: compressing it gains nothing. */
const MIN_BYTES = 1024;

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);
// zlib's types take a view, not a Buffer over any kind of ArrayBuffer; no bytes are copied.
const view = (b: Buffer) => new DataView(b.buffer, b.byteOffset, b.byteLength);

/** The encoding to answer `Accept-Encoding` with; identity when it names none the server has. */
export function answerEncoding(acceptEncoding: string | undefined): AnswerEncoding {
  if (!acceptEncoding) return 'identity';
  // RFC 9110: `x-gzip` is gzip.
  return negotiator.negotiate(acceptEncoding.toLowerCase().replace(/\bx-gzip\b/g, 'gzip')) ?? 'identity';
}

/** The body to send and its `Content-Encoding` (null: sent as it is). */
export async function compressAnswer(
  body: Buffer,
  encoding: AnswerEncoding
): Promise<{ body: Buffer; encoding: Exclude<AnswerEncoding, 'identity'> | null }> {
  if (encoding === 'identity' || body.length < MIN_BYTES) return { body, encoding: null };
  if (encoding === 'gzip') return { body: await gzip(view(body)), encoding };
  const params = {
    // As `@fastify/compress` had it: a page of 1,000 tickets in 5.9 ms and 104 KB, against
    // 11.6 ms and 89 KB at 5 and 1.8 ms and 117 KB at 1 (bytes a phone on a mobile network waits for).
    [zlib.constants.BROTLI_PARAM_QUALITY]: 4,
    [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length
  };
  return { body: await brotli(view(body), { params }), encoding };
}
