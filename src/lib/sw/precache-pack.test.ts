import fc from 'fast-check';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { packFiles, packPath, typeOfFile, unpackFiles } from './precache-pack.js';
import { writePrecachePack } from '../../../scripts/write-precache-pack.js';

const file = fc.record({
  url: fc.string({ maxLength: 80 }).map((s) => `/_app/immutable/${s}`),
  type: fc.constantFrom('text/javascript', 'text/css', 'application/wasm'),
  body: fc.uint8Array({ maxLength: 300 })
});

/** A copy whose buffer holds exactly the pack, as `Response.arrayBuffer()` gives it. */
const bufferOf = (bytes: Uint8Array): ArrayBuffer => bytes.slice().buffer as ArrayBuffer;

describe('the precache pack', () => {
  it('gives back every file, in order, byte for byte', () => {
    fc.assert(
      fc.property(fc.array(file, { maxLength: 30 }), (files) => {
        const back = unpackFiles(bufferOf(packFiles(files)));
        expect(back.map((f) => ({ url: f.url, type: f.type, body: [...f.body] }))).toEqual(
          files.map((f) => ({ url: f.url, type: f.type, body: [...f.body] }))
        );
      })
    );
  });

  it('refuses anything that is not a whole pack, so the worker fetches the files one by one', () => {
    const pack = packFiles([
      { url: '/_app/immutable/a.js', type: 'text/javascript', body: new TextEncoder().encode('export {}') },
      { url: '/_app/immutable/b.css', type: 'text/css', body: new TextEncoder().encode('a{}') }
    ]);
    expect(() => unpackFiles(bufferOf(new TextEncoder().encode('<!doctype html>…')))).toThrow(/not a precache pack/);
    expect(() => unpackFiles(new ArrayBuffer(0))).toThrow(/not a precache pack/);
    for (let cut = 8; cut < pack.byteLength; cut += 7) {
      expect(() => unpackFiles(bufferOf(pack.subarray(0, cut)))).toThrow(/precache pack/);
    }
    const longer = new Uint8Array(pack.byteLength + 1);
    longer.set(pack);
    expect(() => unpackFiles(bufferOf(longer))).toThrow(/bytes after the last file/);
  });

  it('serves each file with the type a browser needs to run it', () => {
    expect(typeOfFile('chunks/a.js')).toBe('text/javascript');
    expect(typeOfFile('assets/x.CSS')).toBe('text/css');
    expect(typeOfFile('assets/zxing_reader.wasm')).toBe('application/wasm');
    expect(typeOfFile('noext')).toBe('application/octet-stream');
    expect(packPath('_app', '1796173462305')).toBe('/_app/precache-1796173462305.bin');
  });

  it('is written beside the build with its gzip and brotli copies, holding every immutable file', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'ict-pack-'));
    try {
      const root = path.join(out, '_app', 'immutable');
      await mkdir(path.join(root, 'chunks'), { recursive: true });
      await writeFile(path.join(root, 'chunks', 'a.js'), 'export const a = 1;');
      await writeFile(path.join(root, 'chunks', 'a.js.br'), 'compressed copy, not a file of the app');
      await writeFile(path.join(root, 'b.wasm'), new Uint8Array([0, 97, 115, 109]));
      const written = await writePrecachePack(out, '_app', 'v1');
      expect(written.files).toBe(2);
      const raw = await readFile(written.file);
      for (const copy of [
        raw,
        gunzipSync(new Uint8Array(await readFile(`${written.file}.gz`))),
        brotliDecompressSync(new Uint8Array(await readFile(`${written.file}.br`)))
      ]) {
        const files = unpackFiles(bufferOf(new Uint8Array(copy)));
        expect(files.map((f) => [f.url, f.type])).toEqual([
          ['/_app/immutable/b.wasm', 'application/wasm'],
          ['/_app/immutable/chunks/a.js', 'text/javascript']
        ]);
        expect(new TextDecoder().decode(files[1].body)).toBe('export const a = 1;');
      }
      expect(written.file).toBe(path.join(out, '_app', 'precache-v1.bin'));
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
