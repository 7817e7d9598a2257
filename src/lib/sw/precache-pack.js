/**
 * The precache pack: every immutable file of the build in one file, so that a new device's
 * service worker fills its precache with one request instead of ~290 (Workbox fetches its
 * precache one file at a time: on a phone 100 ms from the server that is half a minute before
 * the app works offline, and on the machine that runs the tests it was 3.4–4.9 s of the
 * browser's CPU per device, two thirds of it the requests themselves).
 *
 * Plain JavaScript: the build's adapter (`svelte.config.js`, no TypeScript loader) writes it,
 * the service worker reads it. The layout, all integers little-endian:
 *   "ICTP" | u32 length of the index | index (UTF-8 JSON: [{url, type, size}, …]) | bodies, in index order
 */

const MAGIC = [0x49, 0x43, 0x54, 0x50]; // "ICTP"
const HEAD = 8;

/**
 * @typedef {{ url: string; type: string; body: Uint8Array }} PackedFile
 */

/**
 * @param {readonly PackedFile[]} files
 * @returns {Uint8Array}
 */
export function packFiles(files) {
  const index = new TextEncoder().encode(
    JSON.stringify(files.map((f) => ({ url: f.url, type: f.type, size: f.body.byteLength })))
  );
  const total = HEAD + index.byteLength + files.reduce((n, f) => n + f.body.byteLength, 0);
  const out = new Uint8Array(total);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(4, index.byteLength, true);
  out.set(index, HEAD);
  let at = HEAD + index.byteLength;
  for (const f of files) {
    out.set(f.body, at);
    at += f.body.byteLength;
  }
  return out;
}

/**
 * The files of a pack; throws on anything that is not a whole pack (a cut download, an error
 * page), so that the caller falls back to fetching the files one by one.
 * @param {ArrayBuffer} buffer
 * @returns {PackedFile[]}
 */
export function unpackFiles(buffer) {
  const bytes = new Uint8Array(buffer);
  if (bytes.byteLength < HEAD || MAGIC.some((b, i) => bytes[i] !== b)) throw new Error('not a precache pack');
  const indexLength = new DataView(buffer).getUint32(4, true);
  if (HEAD + indexLength > bytes.byteLength) throw new Error('precache pack: index cut short');
  /** @type {unknown} */
  const index = JSON.parse(new TextDecoder().decode(bytes.subarray(HEAD, HEAD + indexLength)));
  if (!Array.isArray(index)) throw new Error('precache pack: index is not a list');
  /** @type {PackedFile[]} */
  const files = [];
  let at = HEAD + indexLength;
  for (const entry of index) {
    const { url, type, size } = /** @type {{ url?: unknown; type?: unknown; size?: unknown }} */ (entry ?? {});
    if (
      typeof url !== 'string' ||
      typeof type !== 'string' ||
      !Number.isInteger(size) ||
      /** @type {number} */ (size) < 0
    )
      throw new Error('precache pack: bad index entry');
    const end = at + /** @type {number} */ (size);
    if (end > bytes.byteLength) throw new Error(`precache pack: ${url} cut short`);
    files.push({ url, type, body: bytes.subarray(at, end) });
    at = end;
  }
  if (at !== bytes.byteLength) throw new Error('precache pack: bytes after the last file');
  return files;
}

/** The media type a file of the build is served with (the service worker answers with it). */
const TYPES = /** @type {Record<string, string>} */ ({
  js: 'text/javascript',
  mjs: 'text/javascript',
  css: 'text/css',
  wasm: 'application/wasm',
  json: 'application/json',
  svg: 'image/svg+xml',
  png: 'image/png',
  woff2: 'font/woff2'
});

/**
 * @param {string} file
 * @returns {string}
 */
export function typeOfFile(file) {
  const ext = file.slice(file.lastIndexOf('.') + 1).toLowerCase();
  return TYPES[ext] ?? 'application/octet-stream';
}

/**
 * Where the pack of one version of the app is served.
 * @param {string} appDir
 * @param {string} version
 */
export function packPath(appDir, version) {
  return `/${appDir}/precache-${encodeURIComponent(version)}.bin`;
}
