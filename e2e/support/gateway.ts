/**
 * Another person's view of the server: a signed-in API client for a demo user, reading
 * documents through the same gateway the app replicates through.
 */
import { request, type APIRequestContext } from '@playwright/test';

export async function signedInClient(baseURL: string, username: string): Promise<APIRequestContext> {
  const api = await request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL } });
  const res = await api.post('/api/auth/login', { data: { username, password: 'demo' } });
  if (!res.ok()) throw new Error(`login ${username}: ${res.status()} ${await res.text()}`);
  return api;
}

export async function getDoc(api: APIRequestContext, db: string, id: string) {
  const res = await api.get(`/couch/${db}/${encodeURIComponent(id)}`);
  return { status: res.status(), body: (await res.json().catch(() => null)) as Record<string, unknown> | null };
}

/** The comments and attachment references of a ticket (their own documents in `org_<org>_comments`). */
export async function commentsOf(api: APIRequestContext, orgId: string, ticketId: string) {
  const res = await api.get(`/couch/org_${orgId}_comments/_all_docs?include_docs=true`);
  const body = (await res.json().catch(() => null)) as { rows?: { doc?: Record<string, unknown> }[] } | null;
  return (body?.rows ?? []).flatMap((r) => (r.doc && r.doc.ticketId === ticketId ? [r.doc] : []));
}

/** Writes a document as this user (CouchDB's `_bulk_docs` form, through the gateway). */
export async function putDoc(api: APIRequestContext, db: string, doc: Record<string, unknown>) {
  const res = await api.post(`/couch/${db}/_bulk_docs`, { data: { docs: [{ _id: doc.id, ...doc }] } });
  return { status: res.status(), body: (await res.json().catch(() => null)) as unknown };
}

/**
 * A small valid PNG (a blue square with a white bar), made without any image library. Built on
 * plain byte arrays: `@types/pouchdb-core` declares its own global `Buffer` interface, which
 * makes node's `Buffer` unassignable to `Uint8Array` wherever both are in one program.
 */
export async function samplePng(): Promise<Buffer> {
  const { deflateSync } = await import('node:zlib');
  const w = 64;
  const h = 48;
  const raw = new Uint8Array((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    raw[y * (w * 3 + 1)] = 0;
    for (let x = 0; x < w; x++) {
      const o = y * (w * 3 + 1) + 1 + x * 3;
      const bar = y > 20 && y < 28;
      raw[o] = bar ? 255 : 31;
      raw[o + 1] = bar ? 255 : 95;
      raw[o + 2] = bar ? 255 : 168;
    }
  }
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Uint8Array) => {
    let c = 0xffffffff;
    for (const byte of b) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const concat = (...parts: Uint8Array[]) => {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  };
  const uint32 = (n: number) => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n);
    return b;
  };
  const chunk = (type: string, data: Uint8Array) => {
    const td = concat(new TextEncoder().encode(type), data);
    return concat(uint32(data.length), td, uint32(crc(td)));
  };
  const ihdr = concat(uint32(w), uint32(h), new Uint8Array([8, 2, 0, 0, 0]));
  const png = concat(
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', new Uint8Array(deflateSync(raw))),
    chunk('IEND', new Uint8Array(0))
  );
  return Buffer.from(png);
}
