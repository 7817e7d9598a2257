import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { answerEncoding, compressAnswer } from './compressed-answer';

describe('answerEncoding', () => {
  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['identity', 'identity'],
    ['deflate', 'identity'],
    ['gzip', 'gzip'],
    ['x-gzip', 'gzip'],
    ['GZIP', 'gzip'],
    ['gzip, deflate, br', 'br'],
    ['br;q=0.5, gzip', 'gzip'],
    ['br;q=0, gzip;q=0.1', 'gzip'],
    ['br, gzip;q=0', 'br'],
    ['*', 'br']
  ])('answers "%s" with %s', (header, encoding) => {
    expect(answerEncoding(header)).toBe(encoding);
  });
});

// zlib's types take a view, not a Buffer over any kind of ArrayBuffer.
const view = (b: Buffer) => new DataView(b.buffer, b.byteOffset, b.byteLength);

describe('compressAnswer', () => {
  const page = Buffer.from(
    JSON.stringify({
      results: Array.from({ length: 300 }, (_, i) => ({ id: `t-${i}`, doc: { title: `Tiskárna č. ${i} netiskne` } }))
    })
  );

  it('brotli and gzip give back the same bytes', async () => {
    const br = await compressAnswer(page, 'br');
    const gz = await compressAnswer(page, 'gzip');
    expect(br.encoding).toBe('br');
    expect(gz.encoding).toBe('gzip');
    expect(br.body.length).toBeLessThan(page.length / 5);
    expect(brotliDecompressSync(view(br.body)).toString()).toBe(page.toString());
    expect(gunzipSync(view(gz.body)).toString()).toBe(page.toString());
  });

  it('a part of a larger buffer is compressed as that part alone', async () => {
    const within = Buffer.concat([Buffer.from('garbage before'), page, Buffer.from('after')] as Uint8Array[]).subarray(
      14,
      14 + page.length
    );
    const br = await compressAnswer(within, 'br');
    expect(brotliDecompressSync(view(br.body)).toString()).toBe(page.toString());
  });

  it('sends a small answer, or one the client takes only as it is, uncompressed', async () => {
    const small = Buffer.from('{"results":{},"refused":{},"unread":[]}');
    expect(await compressAnswer(small, 'br')).toEqual({ body: small, encoding: null });
    expect(await compressAnswer(page, 'identity')).toEqual({ body: page, encoding: null });
  });
});
