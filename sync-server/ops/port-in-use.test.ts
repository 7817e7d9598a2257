/**
 * A server started on a port something else holds says so in words an operator can act on,
 * and stops the embedded store it had launched instead of leaving it running.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { adminUrlFile } from '../embedded-couch/supervisor';
import { spawnProcess } from './server-process';

let holder: Server | undefined;
let dataDir: string | undefined;

afterAll(async () => {
  await new Promise<void>((r) => (holder ? holder.close(() => r()) : r()));
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

it('refuses a port in use with a clear message and stops its store', async () => {
  // It drops every connection, so nothing waits on it.
  holder = createServer((socket) => socket.destroy());
  await new Promise<void>((r) => holder!.listen(0, '127.0.0.1', r));
  const port = (holder.address() as { port: number }).port;
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'ict-port-in-use-'));
  const started = spawnProcess({
    env: { DATA_DIR: dataDir, DEMO: '0', PORT: String(port), LOG_LEVEL: 'info' },
    readyWhen: (out) => out.includes('sync server started')
  });
  await expect(started).rejects.toThrow(`port ${port} on 127.0.0.1 is in use (EADDRINUSE); choose another with PORT`);
  // The store writes its admin URL when ready and removes it when stopped: a start that only
  // exited would leave it behind.
  expect(existsSync(adminUrlFile(dataDir))).toBe(false);
}, 60_000);
