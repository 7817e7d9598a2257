/**
 * Supervises the embedded CouchDB child process.
 *
 * Guarantees: `start()` resolves once the child accepts requests; the child keeps the same
 * loopback port and admin credentials across restarts, so the URL handed out once stays
 * valid; a child that dies unexpectedly is restarted with exponential backoff (reset after
 * it has stayed up for a while); `stop()` ends it and no restart follows.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyBaseLogger } from 'fastify';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'child.mjs');
const READY_TIMEOUT_MS = 30_000;
const BACKOFF_MIN_MS = 100;
const BACKOFF_MAX_MS = 5_000;
const STABLE_AFTER_MS = 30_000;

export interface EmbeddedCouchOptions {
  dir: string;
  log: FastifyBaseLogger;
  port?: number;
  /** Admin credentials; random per start when not given (the store alone takes them from env). */
  adminUser?: string;
  adminPassword?: string;
  /** Listen address; loopback unless the store is run alone for gateways on other machines. */
  host?: string;
}

/**
 * Where a running store leaves its admin URL (owner-only file), so operator tools on the same
 * machine (backup, restore) reach the store a running server holds instead of opening its files.
 */
export function adminUrlFile(dir: string): string {
  return path.join(dir, '.admin-url');
}

export class EmbeddedCouch extends EventEmitter {
  readonly adminUser: string;
  readonly adminPassword: string;
  port = 0;
  restarts = 0;
  private child: ChildProcess | null = null;
  private stopping = false;
  private backoff = BACKOFF_MIN_MS;
  private restartTimer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: EmbeddedCouchOptions) {
    super();
    this.port = opts.port ?? 0;
    this.adminUser = opts.adminUser ?? 'admin';
    this.adminPassword = opts.adminPassword ?? randomBytes(24).toString('hex');
  }

  /** Admin URL, credentials included (never logged). */
  get url(): string {
    const host = !this.opts.host || this.opts.host === '0.0.0.0' ? '127.0.0.1' : this.opts.host;
    return `http://${encodeURIComponent(this.adminUser)}:${encodeURIComponent(this.adminPassword)}@${host}:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Running stores by admin URL, so /api/health can look at the process behind a URL. */
  private static readonly running = new Map<string, EmbeddedCouch>();

  static byUrl(url: string): EmbeddedCouch | undefined {
    return EmbeddedCouch.running.get(url.replace(/\/$/, ''));
  }

  async start(): Promise<void> {
    this.stopping = false;
    await this.spawn();
    EmbeddedCouch.running.set(this.url, this);
  }

  private spawn(): Promise<void> {
    const startedAt = Date.now();
    const child = fork(CHILD, [], {
      // Node flags for the store alone (profiling it: `COUCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=…"`).
      execArgv: process.env.COUCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [],
      env: {
        PATH: process.env.PATH,
        COUCH_DIR: this.opts.dir,
        COUCH_PORT: String(this.port),
        COUCH_HOST: this.opts.host ?? '127.0.0.1',
        COUCH_ADMIN_USER: this.adminUser,
        COUCH_ADMIN_PASSWORD: this.adminPassword,
        // Operators may bound the open databases themselves; the child derives it from `ulimit -n` otherwise.
        ...(process.env.COUCH_MAX_OPEN_DBS ? { COUCH_MAX_OPEN_DBS: process.env.COUCH_MAX_OPEN_DBS } : {})
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc']
    });
    this.child = child;
    child.stdout?.on('data', (d: Buffer) =>
      this.opts.log.debug({ couch: d.toString().trim() }, 'embedded couch output')
    );
    child.stderr?.on('data', (d: Buffer) =>
      this.opts.log.warn({ couch: d.toString().trim().slice(0, 2000) }, 'embedded couch error output')
    );

    return new Promise((resolve, reject) => {
      let ready = false;
      const timer = setTimeout(() => {
        if (!ready) {
          child.kill('SIGKILL');
          reject(new Error('embedded CouchDB did not become ready in time'));
        }
      }, READY_TIMEOUT_MS);
      child.on('message', (msg: { type?: string; port?: number }) => {
        if (msg?.type !== 'ready' || typeof msg.port !== 'number') return;
        ready = true;
        clearTimeout(timer);
        this.port = msg.port;
        this.writeUrlFile();
        this.opts.log.info({ port: msg.port, pid: child.pid, ms: Date.now() - startedAt }, 'embedded CouchDB ready');
        this.emit('ready');
        resolve();
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        if (this.child === child) this.child = null;
        if (!ready) {
          if (!this.stopping)
            reject(new Error(`embedded CouchDB exited during start (code ${code}, signal ${signal})`));
          return;
        }
        if (this.stopping) return;
        this.opts.log.error({ code, signal }, 'embedded CouchDB died; restarting');
        this.emit('exit');
        this.scheduleRestart(Date.now() - startedAt);
      });
    });
  }

  private scheduleRestart(uptimeMs: number): void {
    if (uptimeMs > STABLE_AFTER_MS) this.backoff = BACKOFF_MIN_MS;
    const delay = this.backoff;
    this.backoff = Math.min(this.backoff * 2, BACKOFF_MAX_MS);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (this.stopping) return;
      this.restarts += 1;
      this.spawn().catch((err: Error) => {
        this.opts.log.error({ err: err.message }, 'embedded CouchDB restart failed');
        if (!this.stopping) this.scheduleRestart(0);
      });
    }, delay);
  }

  /** Waits until the child is up (immediately if it is). */
  async whenReady(timeoutMs = 15_000): Promise<void> {
    if (this.child?.connected && this.port) return;
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => {
        this.off('ready', done);
        reject(new Error('embedded CouchDB is not running'));
      }, timeoutMs);
      const done = () => {
        clearTimeout(t);
        resolve();
      };
      this.once('ready', done);
    });
  }

  private writeUrlFile(): void {
    try {
      writeFileSync(adminUrlFile(this.opts.dir), this.url + '\n', { mode: 0o600 });
    } catch (err) {
      this.opts.log.warn({ err: (err as Error).message }, 'cannot record the embedded store URL for operator tools');
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    EmbeddedCouch.running.delete(this.url);
    rmSync(adminUrlFile(this.opts.dir), { force: true });
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), 3_000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}
