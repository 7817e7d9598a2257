/**
 * Runs the sync server (or the embedded store alone) as a separate OS process, the way an
 * operator does, so tests can give it its own open-file limit (`ulimit -n`), several can share
 * one CouchDB, and what is measured is a real process (its pid for open-file counts).
 * The child is started through bash so `ulimit` applies to it and to the store it forks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../testing/server';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

export interface ServerProcess {
  url: string;
  /** The PUBLIC_ORIGIN it was started with (the address a browser should use). */
  origin: string;
  pid: number;
  /** Output so far (stdout and stderr, pino JSON lines). */
  output(): string;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  /** Entry script relative to the repository root. */
  entry?: string;
  env: Record<string, string>;
  /** PUBLIC_ORIGIN for the chosen port, when not 127.0.0.1 (e.g. localhost, a secure context). */
  originFor?: (port: string) => string;
  /** `ulimit -n` for the process and its children. */
  fileLimit?: number;
  /** Resolves once this returns true for the output seen so far (default: /api/health answers). */
  readyWhen?: (output: string) => boolean;
  timeoutMs?: number;
  /** Node flags not allowed in NODE_OPTIONS (e.g. `--cpu-prof`): the entry then runs as `node <flags> --import tsx`. */
  nodeArgs?: string[];
}

/**
 * Starts `entry` with tsx under bash; resolves when `readyWhen` holds (default: health answers).
 * A port chosen here is free when chosen but not held while the process starts (seconds), so a
 * parallel test's store can take it: a start that fails on that is retried on another port.
 */
export async function spawnProcess(opts: SpawnOptions): Promise<ServerProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await spawnOnce(opts);
    } catch (err) {
      const portTaken = err instanceof Error && err.message.includes('EADDRINUSE');
      if (opts.env.PORT !== undefined || !portTaken || attempt >= 5) throw err;
    }
  }
}

async function spawnOnce(opts: SpawnOptions): Promise<ServerProcess> {
  const entry = opts.entry ?? 'sync-server/main.ts';
  const port = opts.env.PORT ?? String(await freePort());
  const url = `http://127.0.0.1:${port}`;
  const origin = opts.env.PUBLIC_ORIGIN ?? opts.originFor?.(port) ?? url;
  const limit = opts.fileLimit ? `ulimit -n ${opts.fileLimit} && ` : '';
  const run = opts.nodeArgs?.length
    ? `exec "${process.execPath}" ${opts.nodeArgs.map((a) => `"${a}"`).join(' ')} --import tsx "${entry}"`
    : `exec "${TSX}" "${entry}"`;
  const child: ChildProcess = spawn('bash', ['-c', `${limit}${run}`], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      ...opts.env,
      PUBLIC_ORIGIN: origin,
      PORT: port
    },
    stdio: ['ignore', 'pipe', 'pipe']
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const proc: ServerProcess = {
    url,
    origin,
    pid: child.pid ?? 0,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      })
  };
  const answers = async () => {
    try {
      return (await fetch(`${url}/api/health`)).status > 0;
    } catch {
      return false;
    }
  };
  const ready = opts.readyWhen ? async () => opts.readyWhen!(out) : answers;
  const until = Date.now() + (opts.timeoutMs ?? 120_000);
  while (!(await ready())) {
    if (child.exitCode !== null) throw new Error(`${entry} exited with ${child.exitCode}:\n${out.slice(-3000)}`);
    if (Date.now() > until) {
      await proc.stop();
      throw new Error(`${entry} did not start in time:\n${out.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return proc;
}
