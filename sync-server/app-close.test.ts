/**
 * Closing the server (a restart, a deploy) while a request is still being answered: the close
 * waits for that answer, then closes its connection, instead of keeping it alive for Fastify's
 * 72 s (a sync's pull in flight made every shutdown wait that long, and `main.ts` gives up
 * after 15 s, before the store is stopped).
 */
import { describe, expect, it } from 'vitest';
import { validDoc } from './gateway/test-support';
import { login, startTestServer } from './testing/server';

describe('closing the server with a request in flight', () => {
  it('answers that request, then closes its connection and finishes well before the keep-alive would end', async () => {
    const s = await startTestServer();
    const cookie = await login(s.url, 'ucitel.gymkt');
    const db = 'org_gym-kt_tickets';
    const docs = Array.from({ length: 300 }, () => validDoc(db, 'ucitel.gymkt'));
    const inFlight = new Promise<void>((resolve) => s.app.server.once('request', () => resolve()));
    const answer = fetch(`${s.url}/couch/${db}/_bulk_docs`, {
      method: 'POST',
      headers: { cookie, origin: s.url, 'content-type': 'application/json' },
      body: JSON.stringify({ docs })
    }).then(async (res) => ({ status: res.status, rows: (await res.json()) as { ok?: boolean }[] }));
    await inFlight;
    const started = Date.now();
    await s.close();
    const took = Date.now() - started;
    // Read as it arrives, as a client does.
    const { status, rows } = await answer;
    expect(status).toBe(201);
    expect(rows.filter((r) => r.ok)).toHaveLength(300);
    // The write and the store's stop take seconds; the keep-alive alone was 72 s.
    expect(took).toBeLessThan(30_000);
  }, 120_000);
});
