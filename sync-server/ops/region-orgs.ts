/**
 * Grows the region to a given number of organizations through the gateway (as the admin
 * would), and waits until the server reports them: their databases then exist.
 */
import { validDoc, client, type Client } from '../gateway/test-support';

export const extraOrgId = (n: number) => `bench-${String(n).padStart(3, '0')}`;

export interface Health {
  status: string;
  orgs: number;
  store?: {
    openDbs: number;
    maxOpenDbs: number;
    inUseDbs?: number;
    openFiles: number | null;
    fileLimit: number | null;
  };
  problems?: { code: string; message: string }[];
}

export async function health(url: string): Promise<{ code: number; body: Health }> {
  const res = await fetch(`${url}/api/health`);
  return { code: res.status, body: (await res.json()) as Health };
}

/** Writes organizations `bench-001…` into region_orgs until there are `total` (counting those present). */
export async function addOrgs(admin: Client, present: number, total: number): Promise<string[]> {
  const ids = Array.from({ length: Math.max(0, total - present) }, (_, i) => extraOrgId(i + 1));
  const docs = ids.map((id, i) =>
    validDoc('region_orgs', 'admin', {
      _id: id,
      name: `Základní škola ${id}`,
      shortName: id,
      kind: 'school',
      district: ['PM', 'KT', 'DO', 'TC', 'RO', 'PS', 'PJ'][i % 7]
    })
  );
  const { status, body } = await admin.bulkDocs('region_orgs', docs);
  if (status !== 201 || body.some((r) => r.error))
    throw new Error(`adding organizations failed: HTTP ${status} ${JSON.stringify(body).slice(0, 300)}`);
  return ids;
}

/** Polls /api/health until `done` holds for it (or `timeoutMs` passes); returns the last answer. */
export async function waitForHealth(
  url: string,
  done: (h: { code: number; body: Health }) => boolean,
  timeoutMs: number
): Promise<{ code: number; body: Health }> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const h = await health(url);
    if (done(h) || Date.now() > until) return h;
    await new Promise((r) => setTimeout(r, 500));
  }
}

export { client };
