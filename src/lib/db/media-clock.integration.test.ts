/**
 * A photo taken on a phone whose clock ran ahead, against the real gateway: the server refuses
 * its device times, and once the clock is corrected "send again" sends it with times the server
 * accepts, instead of the file staying refused for good (a file on the server cannot be edited).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nano from 'nano';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { login, startTestServer, type TestServer } from '../../../sync-server/testing/server';
import { mediaDatabaseName } from './local-names';
import { createMedia, REGISTRY_KEY, type MediaApi, type MediaDoc } from './media';
import { installLocalStorage, nodePouch } from './media-test-support';

installLocalStorage();
const dir = mkdtempSync(path.join(os.tmpdir(), 'media-clock-'));
let server: TestServer;
let media: MediaApi | null = null;

beforeAll(async () => {
  server = await startTestServer();
}, 120_000);
afterAll(async () => {
  await media?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function until(check: () => Promise<boolean>, what: string) {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

it('a file refused for a clock running ahead is sent again with the corrected time', async () => {
  const user = 'ucitel.gymkt';
  const { loader } = nodePouch(dir, await login(server.url, user));
  media = createMedia(user, [{ db: 'org_gym-kt_media', write: true }], server.url, loader);
  const m = media;

  // Taken while the phone's clock ran two hours ahead (the server runs in this process, so the
  // phone's clock is not faked: the file is stored as the media layer stores it, with those times).
  const ahead = new Date(Date.now() + 2 * 3_600_000).toISOString();
  const id = 'm-clock-ahead';
  const { Pouch } = nodePouch(dir);
  const local = new Pouch(mediaDatabaseName(user, 'gym-kt'));
  await local.bulkDocs([
    {
      _id: id,
      orgId: 'gym-kt',
      createdBy: user,
      createdAt: ahead,
      updatedBy: user,
      updatedAt: ahead,
      fileName: 'label.pdf',
      contentType: 'application/pdf',
      _attachments: { file: { content_type: 'application/pdf', data: Buffer.from('%PDF label').toString('base64') } }
    } as never,
    { _id: '_local/outbox', items: { [id]: {} } } as never
  ]);
  localStorage.setItem(REGISTRY_KEY, JSON.stringify([mediaDatabaseName(user, 'gym-kt')]));
  await m.syncNow(['org_gym-kt_media']);
  const refused = (await m.unsent()).find((u) => u.id === id);
  expect(refused?.refused).toMatch(/ahead of the server's clock/);

  // The clock corrected, the person sends it again.
  const before = new Date().toISOString();
  await m.retry('gym-kt', id);
  await until(async () => (await m.unsent()).length === 0, 'the file to be sent');
  const stored = await nano(server.couchUrl).use<MediaDoc>('org_gym-kt_media').get(id);
  expect(stored.fileName).toBe('label.pdf');
  expect(stored.createdAt >= before && stored.createdAt <= new Date().toISOString()).toBe(true);
  expect(stored.createdBy).toBe(user);
});
