/**
 * Several sync servers on one CouchDB: the embedded store run alone (`npm run couch`, its own
 * process) and two servers using it through COUCHDB_URL. A session made on one works on the
 * other (and ends on both), and a write through one reaches an event stream on the other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgDb } from '../../src/lib/domain/databases';
import { client, validDoc } from '../gateway/test-support';
import { openSse, namesDb } from '../testing/sse';
import { login, startTestServer, type TestServer } from '../testing/server';
import { startStoreAlone, type StoreAlone } from '../testing/store-alone';

let couch: StoreAlone;
let couchUrl: string;
let a: TestServer;
let b: TestServer;
const PASSWORD = 'shared-by-the-gateways';

beforeAll(async () => {
  couch = await startStoreAlone({ password: PASSWORD });
  couchUrl = couch.couchUrl;
  a = await startTestServer({ couchUrl, demo: 'on' });
  b = await startTestServer({ couchUrl, demo: 'off' });
}, 90_000);

afterAll(async () => {
  await a?.close();
  await b?.close();
  await couch?.stop();
});

describe('two sync servers on one store', () => {
  it('npm run couch prints the URL with the credentials it was given', () => {
    expect(couchUrl).toMatch(new RegExp(`^http://admin:${PASSWORD}@127\\.0\\.0\\.1:\\d+$`));
  });

  it('a session made on one server works on the other, and logging out ends it on both', async () => {
    const cookie = await login(a.url, 'ucitel.gymkt');
    const me = await fetch(`${b.url}/api/me`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ user: { id: 'ucitel.gymkt' } });
    const out = await fetch(`${b.url}/api/auth/logout`, { method: 'POST', headers: { cookie, origin: b.url } });
    expect(out.status).toBeLessThan(300);
    expect((await fetch(`${a.url}/api/me`, { headers: { cookie } })).status).toBe(401);
  });

  it.each([
    ['A', 'B'],
    ['B', 'A']
  ])(
    'a write through server %s reaches an event stream on server %s',
    async (from, _to) => {
      const [writer, reader] = from === 'A' ? [a, b] : [b, a];
      const cookie = await login(writer.url, 'ucitel.gymkt');
      const db = orgDb('gym-kt', 'tickets');
      const sse = await openSse(`${reader.url}/api/events`, { cookie });
      try {
        expect(sse.status).toBe(200);
        await sse.waitFor((e) => e.event === 'ready', 10_000);
        const { body } = await client(writer.url, cookie).bulkDocs(db, [validDoc(db, 'ucitel.gymkt')]);
        expect(body[0]).toMatchObject({ ok: true });
        await sse.waitFor(namesDb(db), 15_000);
      } finally {
        sse.close();
      }
    },
    30_000
  );
});
