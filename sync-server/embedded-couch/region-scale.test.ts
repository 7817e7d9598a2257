/**
 * The embedded store carries the whole region (140 organizations, 848 databases) under the
 * common open-file limit of 1,024, and says so in /api/health; with the bound switched off
 * it runs out of files and /api/health reports it, with what to do, instead of "ok"
 * (a failed organization reload is reported too: `orgs_reload_failed`, see health/route.ts).
 * The servers run as their own processes (`ulimit -n` applies to them and their store).
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ORG_COLLECTIONS, orgDb } from '../../src/lib/domain/databases';
import { DEMO_ORGS } from '../demo/region';
import { validDoc } from '../gateway/test-support';
import { openFilesOfTree } from '../ops/open-files';
import { feedRequest } from '../events/feed';
import { adminUrlFile } from './supervisor';
import { addOrgs, client, waitForHealth } from '../ops/region-orgs';
import { spawnProcess, type ServerProcess } from '../ops/server-process';
import { demoDataDir, login } from '../testing/server';

const REGION = 140;
const started: ServerProcess[] = [];
const dirs: string[] = [];

const dataDirs = new Map<ServerProcess, string>();
const dataDirOf = (proc: ServerProcess) => dataDirs.get(proc)!;

async function serverWithFileLimit(fileLimit: number, env: Record<string, string> = {}): Promise<ServerProcess> {
  const dataDir = await demoDataDir();
  dirs.push(dataDir);
  const proc = await spawnProcess({ env: { DATA_DIR: dataDir, DEMO: '1', ...env }, fileLimit });
  started.push(proc);
  dataDirs.set(proc, dataDir);
  return proc;
}

afterAll(async () => {
  for (const s of started) await s.stop();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('the embedded store at region scale', () => {
  it('provisions 140 organizations under ulimit -n 1024, then reads and writes in the last one', async () => {
    const srv = await serverWithFileLimit(1024);
    const admin = client(srv.url, await login(srv.url, 'admin'));
    const added = await addOrgs(admin, DEMO_ORGS.length, REGION);
    const h = await waitForHealth(srv.url, (x) => x.body.orgs === REGION || x.code !== 200, 240_000);
    expect(h.body.problems).toBeUndefined();
    expect(h).toMatchObject({ code: 200, body: { status: 'ok', orgs: REGION } });
    // The bound closes idle databases only: one a request is using at that moment may be extra.
    expect(h.body.store!.openDbs).toBeLessThanOrEqual(h.body.store!.maxOpenDbs + (h.body.store!.inUseDbs ?? 0));

    const last = added[added.length - 1];
    const db = orgDb(last, 'assets');
    const doc = validDoc(db, 'admin');
    const written = await admin.bulkDocs(db, [doc]);
    expect(written.body[0]).toMatchObject({ id: doc._id, ok: true });
    const read = await (await admin.get(`/couch/${db}/${encodeURIComponent(String(doc._id))}`)).json();
    expect(read).toMatchObject({ _id: doc._id, orgId: last, name: doc.name });
    const changes = await (await admin.get(`/couch/${db}/_changes`)).json();
    expect(changes.results.map((r: { id: string }) => r.id)).toContain(doc._id);

    // The first organizations' databases were closed on the way; they open again on demand.
    const teacher = client(srv.url, await login(srv.url, 'ucitel.gymkt'));
    const tickets = await (await teacher.get(`/couch/${orgDb('gym-kt', 'tickets')}/_all_docs`)).json();
    expect(tickets.rows.length).toBeGreaterThan(0);

    const files = openFilesOfTree(srv.pid);
    if (files) for (const p of files) expect(p.files, p.cmd).toBeLessThan(1024);
  }, 300_000);

  it('reports a store that runs out of files as unhealthy, saying what to do', async () => {
    // The bound set far above what 768 files allow: the demo fits, the next organizations do not.
    const srv = await serverWithFileLimit(768, { COUCH_MAX_OPEN_DBS: '100000' });
    expect((await waitForHealth(srv.url, () => true, 0)).body.status).toBe('ok');
    // Past 85 % of its limit the store closes idle databases even with the bound off, so
    // organizations provisioned one database after another could fit on a loaded machine.
    // People following every database at once are what no closing makes room for: a
    // long-poll holds its database in use until it answers. They go to the store itself (its
    // admin URL, left in the data directory for operator tools), as the gateway answers
    // long-polls from its own change notifier.
    const following = new AbortController();
    const store = (await readFile(adminUrlFile(path.join(dataDirOf(srv), 'couch')), 'utf8')).trim();
    const follow = (orgs: readonly string[]) => {
      for (const org of orgs)
        for (const c of ORG_COLLECTIONS)
          void feedRequest(store, `${orgDb(org, c)}/_changes?feed=longpoll&since=now&timeout=200000`, following.signal)
            // Read to its end (the answer comes when the long-poll does): a cancelled body would
            // end the request, and with it the use.
            .then((res) => res.text())
            .catch(() => undefined);
    };
    follow(DEMO_ORGS.map((o) => o.id));
    try {
      await expect
        .poll(async () => (await waitForHealth(srv.url, () => true, 0)).body.store?.inUseDbs ?? 0, { timeout: 30_000 })
        .toBeGreaterThan(DEMO_ORGS.length * ORG_COLLECTIONS.length * 0.9);
      const admin = client(srv.url, await login(srv.url, 'admin'));
      const added = await addOrgs(admin, DEMO_ORGS.length, DEMO_ORGS.length + 30);
      // The store may run out while opening a database, or so far that it no longer accepts the
      // connection that would ask it: either way the health check names the file limit.
      const outOfFiles = (x: { body: { problems?: { code: string }[] } }) =>
        !!x.body.problems?.some((p) => p.code === 'store_file_limit');
      // Each new database is created and closed again, one after another: the new ones are
      // followed too once they are there.
      await waitForHealth(srv.url, (x) => outOfFiles(x) || x.body.orgs === DEMO_ORGS.length + added.length, 180_000);
      follow(added);
      const h = await waitForHealth(srv.url, outOfFiles, 60_000);
      expect(h.code, JSON.stringify(h.body)).toBe(503);
      expect(h.body.status).toBe('unhealthy');
      expect(h.body.problems!.find((p) => p.code === 'store_file_limit')!.message).toMatch(
        /ulimit -n .*LimitNOFILE.*COUCH_MAX_OPEN_DBS/
      );
      // The server itself keeps answering. A store process that died of it is restarted by its
      // supervisor and may report ok again until it runs out once more (seen once in a full run);
      // a store too short of files to take the health check's connection is `unavailable`.
      const again = await waitForHealth(srv.url, () => true, 0);
      expect([200, 503], JSON.stringify(again.body)).toContain(again.code);
      if (again.code === 503) expect(['unhealthy', 'unavailable']).toContain(again.body.status);
    } finally {
      following.abort();
    }
  }, 240_000);
});
