/**
 * Backup and restore against the real embedded store, with a real PouchDB device that synced
 * through the gateway before the loss: after a restore it finds nothing new, nothing in
 * conflict, and its own edits go through. Damaged and foreign files change nothing.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import nano from 'nano';
import PouchDB from 'pouchdb-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionOrg } from '../../provision/provision';
import { validDoc } from '../../gateway/test-support';
import { login, startTestServer, type TestServer } from '../../testing/server';
import { backupStore } from './backup';
import { BackupFileError } from './format';
import { restoreStore, RestoreRefused } from './restore';

const ORG = 'gym-kt';
const DEVICE_DBS = [`org_${ORG}_tickets`, `org_${ORG}_media`];
const USER = 'reditel.gymkt';
let s: TestServer;
let dir: string;
let cookie: string;
const opened: PouchDB.Database[] = [];

function remote(url: string, db: string, withCookie: string): PouchDB.Database {
  const r = new PouchDB(`${url}/couch/${db}`, {
    skip_setup: true,
    fetch: (u: string | Request, opts?: RequestInit) => {
      const headers = new Headers(opts?.headers);
      headers.set('cookie', withCookie);
      return PouchDB.fetch(u, { ...opts, headers });
    }
  } as PouchDB.Configuration.RemoteDatabaseConfiguration);
  opened.push(r);
  return r;
}

const device = (db: string) => {
  const l = new PouchDB(path.join(dir, `device-${db}`));
  opened.push(l);
  return l;
};

/** Every leaf revision of every document (deleted ones and conflicts included). */
async function leaves(couch: nano.ServerScope, db: string): Promise<Record<string, string[]>> {
  const res = (await couch.request({ db, path: '_changes', qs: { style: 'all_docs' } })) as {
    results: { id: string; changes: { rev: string }[] }[];
  };
  return Object.fromEntries(res.results.map((r) => [r.id, r.changes.map((c) => c.rev).sort()]));
}

async function deviceConflicts(db: PouchDB.Database): Promise<string[]> {
  const all = await db.allDocs({ conflicts: true, include_docs: true });
  return all.rows.filter((r) => (r.doc as { _conflicts?: string[] })._conflicts?.length).map((r) => r.id);
}

async function sync(url: string, withCookie: string): Promise<void> {
  for (const db of DEVICE_DBS) {
    const result = await device(db).sync(remote(url, db, withCookie));
    expect(result.push?.ok && result.pull?.ok, db).toBe(true);
    expect(result.push?.doc_write_failures, db).toBe(0);
  }
}

const unzipText = (raw: Uint8Array) => new TextDecoder().decode(gunzipSync(raw));
const zipText = (text: string) => new Uint8Array(gzipSync(text));

function run(script: string, args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.resolve('node_modules/.bin/tsx'), [script, ...args], {
      env: { PATH: process.env.PATH, ...env }
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => resolve({ code: code ?? -1, out }));
  });
}

beforeAll(async () => {
  s = await startTestServer();
  dir = await mkdtemp(path.join(os.tmpdir(), 'ict-backup-'));
  cookie = await login(s.url, USER);
  const admin = nano(s.couchUrl);
  // A photo with its file, a conflict kept on the server, and a deletion: all must survive.
  const photo = validDoc(`org_${ORG}_media`, USER, {
    _attachments: {
      'photo.jpg': { content_type: 'image/jpeg', data: Buffer.from('not really a jpeg').toString('base64') }
    }
  });
  const media = device(`org_${ORG}_media`);
  await media.put(photo);
  const tickets = admin.use<Record<string, unknown>>(`org_${ORG}_tickets`);
  const [first, second] = (await tickets.list({ include_docs: true })).rows.filter((r) => !r.id.startsWith('_design/'));
  const base = first.doc!;
  const hash = String(base._rev).split('-')[1];
  await tickets.bulk({
    new_edits: false,
    docs: ['a', 'b'].map((x) => ({
      ...base,
      title: `Úprava ${x}`,
      _rev: `2-${x.repeat(32)}`,
      _revisions: { start: 2, ids: [x.repeat(32), hash] }
    }))
  });
  await tickets.destroy(second.id, String(second.doc!._rev));
  await sync(s.url, cookie);
}, 120_000);

afterAll(async () => {
  for (const db of opened) await db.close().catch(() => {});
  await s?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('backup and restore', () => {
  let orgFile: string;

  it('restores one organization into its fresh databases; the device syncs on without conflicts', async () => {
    const admin = nano(s.couchUrl);
    const dbs = (await admin.db.list()).filter((d) => d.startsWith(`org_${ORG}_`)).sort();
    const before = Object.fromEntries(await Promise.all(dbs.map(async (db) => [db, await leaves(admin, db)] as const)));
    const security = await admin.request({ db: `org_${ORG}_tickets`, path: '_security' });
    const conflictsBefore = await deviceConflicts(device(`org_${ORG}_tickets`));
    expect(conflictsBefore).toHaveLength(1);

    orgFile = path.join(dir, 'gym-kt.ndjson.gz');
    const result = await backupStore(admin, orgFile, { org: ORG, source: 'embedded' });
    expect(result.databases).toEqual(dbs);

    // The device edits offline while the organization is lost and comes back.
    const media = device(`org_${ORG}_media`);
    const mine = (await media.allDocs({ include_docs: true })).rows.find(
      (r) => (r.doc as { createdBy?: string }).createdBy === USER
    )!;
    await media.put({ ...mine.doc!, fileName: 'foto-upravena.jpg', updatedAt: new Date().toISOString() });

    for (const db of dbs) await admin.db.destroy(db);
    await provisionOrg(admin, ORG);
    const restored = await restoreStore(admin, orgFile);
    expect(restored).toMatchObject({ dbs: dbs.length, docs: result.docs, skippedDesignDocs: expect.any(Number) });

    for (const db of dbs) expect(await leaves(admin, db), db).toEqual(before[db]);
    expect(await admin.request({ db: `org_${ORG}_tickets`, path: '_security' })).toEqual(security);
    const stored = (await admin.use(`org_${ORG}_media`).get(mine.id, { attachments: true })) as {
      _attachments: Record<string, { data: string }>;
    };
    expect(Buffer.from(stored._attachments['photo.jpg'].data, 'base64').toString()).toBe('not really a jpeg');

    await sync(s.url, cookie);
    expect(await deviceConflicts(device(`org_${ORG}_tickets`))).toEqual(conflictsBefore);
    expect(await deviceConflicts(device(`org_${ORG}_media`))).toEqual([]);
    expect(((await admin.use(`org_${ORG}_media`).get(mine.id)) as unknown as { fileName: string }).fileName).toBe(
      'foto-upravena.jpg'
    );
  }, 60_000);

  it('refuses to restore into databases that hold documents, writing nothing', async () => {
    const admin = nano(s.couchUrl);
    const before = await leaves(admin, `org_${ORG}_tickets`);
    await expect(restoreStore(admin, orgFile)).rejects.toThrow(RestoreRefused);
    await expect(restoreStore(admin, orgFile)).rejects.toThrow(/already hold documents: org_gym-kt_/);
    expect(await leaves(admin, `org_${ORG}_tickets`)).toEqual(before);
  });

  it.each([
    ['a changed byte', 'checksum', (raw: Uint8Array) => zipText(unzipText(raw).replace('"Úprava a"', '"Úprava c"'))],
    ['a file cut short', 'damaged', (raw: Uint8Array) => raw.subarray(0, Math.floor(raw.length / 2))],
    [
      'a file without its end',
      'truncated',
      (raw: Uint8Array) => zipText(unzipText(raw).split('\n').slice(0, -2).join('\n') + '\n')
    ],
    ['another program’s gzip', 'foreign', () => zipText('{"hello":"world"}\n')],
    ['not gzip at all', 'not_gzip', () => new TextEncoder().encode('just some text\n')]
  ])('refuses %s with a clear message and writes nothing', async (_name, code, mangle) => {
    const admin = nano(s.couchUrl);
    const bad = path.join(dir, `bad-${code}.gz`);
    await writeFile(bad, mangle(new Uint8Array(await readFile(orgFile))));
    const dbs = await admin.db.list();
    const before = await leaves(admin, `org_${ORG}_tickets`);
    const err = await restoreStore(admin, bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackupFileError);
    expect(err).toMatchObject({ code });
    expect((err as Error).message).toMatch(/not a backup|damaged|incomplete/);
    expect(await admin.db.list()).toEqual(dbs);
    expect(await leaves(admin, `org_${ORG}_tickets`)).toEqual(before);
  });

  it('backs up one organization from COUCHDB_URL with npm run backup -- --org', async () => {
    const file = path.join(dir, 'external.ndjson.gz');
    const backup = await run('scripts/backup.ts', ['--org', ORG, '--out', file], { COUCHDB_URL: s.couchUrl });
    const orgDbs = (await nano(s.couchUrl).db.list()).filter((d) => d.startsWith(`org_${ORG}_`));
    expect(backup.out).toMatch(
      new RegExp(`Backed up ${orgDbs.length} database\\(s\\).*from CouchDB at 127\\.0\\.0\\.1`)
    );
    expect(backup.out).not.toContain(new URL(s.couchUrl).password);
    expect(backup.code).toBe(0);
  }, 30_000);

  it('backs up the whole running store with npm run backup and restores it into an empty store with npm run restore', async () => {
    const file = path.join(dir, 'all.ndjson.gz');
    const backup = await run('scripts/backup.ts', ['--out', file], { DATA_DIR: s.config.dataDir });
    expect(backup.out).toMatch(/Backed up \d+ database\(s\).*from the running embedded store/);
    expect(backup.code).toBe(0);

    const empty = await mkdtemp(path.join(os.tmpdir(), 'ict-restore-'));
    try {
      const restore = await run('scripts/restore.ts', [file], { DATA_DIR: empty });
      expect(restore.out).toMatch(/Restored the whole store/);
      expect(restore.code).toBe(0);
      const again = await run('scripts/restore.ts', [file], { DATA_DIR: empty });
      expect(again.code).toBe(2);
      expect(again.out).toMatch(/Restore refused: .*already hold documents/);

      // Users and sessions came back too: the device's session works against the restored store.
      const s2 = await startTestServer({ dataDir: empty, demo: 'off' });
      try {
        const admin2 = nano(s2.couchUrl);
        for (const db of DEVICE_DBS) expect(await leaves(admin2, db), db).toEqual(await leaves(nano(s.couchUrl), db));
        await sync(s2.url, cookie);
        expect(await deviceConflicts(device(`org_${ORG}_tickets`))).toHaveLength(1);
        expect(await deviceConflicts(device(`org_${ORG}_media`))).toEqual([]);
      } finally {
        await s2.close();
      }
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  }, 120_000);
});
