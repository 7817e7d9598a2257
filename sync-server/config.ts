/**
 * Configuration from the environment. Every setting has a safe default so that
 * `npm start` on a fresh clone runs the whole product on one machine.
 */
import { HASH_MAX_WAIT_MS } from './auth/hash-slots';
import path from 'node:path';
import { HOLD_FROM_READERS } from './events/reannounce';
import { MAX_CHANGES_PER_USER, MAX_STREAMS_PER_USER } from './gateway/stream-quota';

export type DemoMode = 'auto' | 'on' | 'off';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** Apache CouchDB (with admin credentials in the URL); undefined starts the embedded store. */
  couchUrl?: string;
  publicOrigin: string;
  demo: DemoMode;
  tileUrl?: string;
  /** Where the VAPID key pair is kept when VAPID_* is not set. */
  vapidDir: string;
  vapidPublicKey?: string;
  vapidPrivateKey?: string;
  vapidSubject: string;
  /** Origins of push endpoints admitted besides public https ones (tests, private push services). */
  pushAllowedOrigins: string[];
  /** How often the inbox's reminders are checked for Web Push (0: only when tasks or approvals are written). */
  reminderIntervalMs: number;
  /** The built PWA (SvelteKit adapter-static output). */
  staticDir: string;
  bodyLimit: number;
  logLevel: string;
  /**
   * Which peers may name the client's address in X-Forwarded-For: false (none, the default:
   * the address is the socket's) or a list of proxy addresses or CIDR ranges (or proxy-addr's
   * names `loopback`, `linklocal`, `uniquelocal`). Hop counts are refused: Fastify 5 ignores
   * them, since a count cannot check that the nearest peer is a proxy at all.
   */
  trustProxy: false | string[];
  /** Password of the first administrator, used only when the store has none (see auth/first-admin.ts). */
  adminPassword?: string;
  /** Live streams (event streams and longpolls) one user may hold at once (`MAX_STREAMS_PER_USER`). */
  maxStreamsPerUser: number;
  /** Batched changes requests one user may have in flight at once (`MAX_CHANGES_PER_USER`). */
  maxChangesPerUser: number;
  /** Open event streams from which a database's changes are named once a second (`EVENTS_HOLD_FROM_READERS`). */
  eventsHoldFromReaders: number;
  /** How much password checking a sign-in may wait behind before it is told to retry (`SIGNIN_MAX_WAIT_SECONDS`). */
  signInMaxWaitMs: number;
}

export class ConfigError extends Error {}

function parsePort(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError(`PORT must be an integer 0–65535, got "${value}"`);
  return port;
}

function parseDemo(value: string | undefined): DemoMode {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '' || v === 'auto') return 'auto';
  if (['1', 'on', 'true', 'yes'].includes(v)) return 'on';
  if (['0', 'off', 'false', 'no'].includes(v)) return 'off';
  throw new ConfigError(`DEMO must be 1, 0 or auto, got "${value}"`);
}

function parseUrl(name: string, value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    return new URL(value).toString().replace(/\/$/, '');
  } catch {
    throw new ConfigError(`${name} is not a valid URL: "${value}"`);
  }
}

/** TRUST_PROXY: off by default; trusting every peer ("true") would let anyone pick their address. */
export function parseTrustProxy(value: string | undefined): false | string[] {
  const v = (value ?? '').trim();
  if (v === '' || ['0', 'off', 'false', 'no'].includes(v.toLowerCase())) return false;
  if (/^\d{1,2}$/.test(v))
    throw new ConfigError(
      "TRUST_PROXY: a hop count cannot tell a proxy from a client (Fastify ignores it); list the proxies' addresses or CIDR ranges"
    );
  if (['true', 'on', 'yes', '*'].includes(v.toLowerCase()))
    throw new ConfigError('TRUST_PROXY must name the proxies (addresses or CIDR ranges), not trust everyone');
  const list = v
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const entry = /^(loopback|linklocal|uniquelocal|[0-9a-fA-F:.]+(\/\d{1,3})?)$/;
  const bad = list.find((p) => !entry.test(p));
  if (bad)
    throw new ConfigError(`TRUST_PROXY: "${bad}" is not an address, a CIDR range or loopback/linklocal/uniquelocal`);
  return list;
}

/** A first administrator's password worth the name: twelve characters at least. */
function parseAdminPassword(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (value.length < 12) throw new ConfigError('ADMIN_PASSWORD must have at least 12 characters');
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = parsePort(env.PORT, 3000);
  const dataDir = path.resolve(env.DATA_DIR || './data');
  return {
    port,
    host: env.HOST || '0.0.0.0',
    dataDir,
    couchUrl: parseUrl('COUCHDB_URL', env.COUCHDB_URL),
    publicOrigin: parseUrl('PUBLIC_ORIGIN', env.PUBLIC_ORIGIN) ?? `http://localhost:${port}`,
    demo: parseDemo(env.DEMO),
    tileUrl: env.TILE_URL || undefined,
    vapidDir: path.resolve(env.VAPID_DIR || dataDir),
    vapidPublicKey: env.VAPID_PUBLIC_KEY || undefined,
    vapidPrivateKey: env.VAPID_PRIVATE_KEY || undefined,
    vapidSubject: env.VAPID_SUBJECT || 'mailto:ict@example.invalid',
    pushAllowedOrigins: (env.PUSH_ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => parseUrl('PUSH_ALLOWED_ORIGINS', s) as string),
    reminderIntervalMs: parseReminderInterval(env.REMINDER_INTERVAL_SECONDS),
    staticDir: path.resolve(env.STATIC_DIR || 'build'),
    bodyLimit: 1024 * 1024,
    logLevel: env.LOG_LEVEL || 'info',
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    adminPassword: parseAdminPassword(env.ADMIN_PASSWORD),
    maxStreamsPerUser: parseCount('MAX_STREAMS_PER_USER', env.MAX_STREAMS_PER_USER, MAX_STREAMS_PER_USER),
    maxChangesPerUser: parseCount('MAX_CHANGES_PER_USER', env.MAX_CHANGES_PER_USER, MAX_CHANGES_PER_USER),
    eventsHoldFromReaders: parseCount('EVENTS_HOLD_FROM_READERS', env.EVENTS_HOLD_FROM_READERS, HOLD_FROM_READERS),
    signInMaxWaitMs: parseSignInWait(env.SIGNIN_MAX_WAIT_SECONDS)
  };
}

/** SIGNIN_MAX_WAIT_SECONDS: 15 by default; 1–300. */
function parseSignInWait(value: string | undefined): number {
  if (value === undefined || value === '') return HASH_MAX_WAIT_MS;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 300)
    throw new ConfigError(`SIGNIN_MAX_WAIT_SECONDS must be a whole number of seconds from 1 to 300, got "${value}"`);
  return n * 1000;
}

/** REMINDER_INTERVAL_SECONDS: every 10 minutes by default; lead times are days, so minutes are plenty. */
function parseReminderInterval(value: string | undefined): number {
  if (value === undefined || value === '') return 10 * 60 * 1000;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new ConfigError(
      `REMINDER_INTERVAL_SECONDS must be a whole number of seconds (0 turns the schedule off), got "${value}"`
    );
  return n * 1000;
}

/**
 * A count of at least 1 from the setting `name` (`MAX_STREAMS_PER_USER`; `EVENTS_HOLD_FROM_READERS`,
 * where 1 holds every database anyone reads), or `fallback` when unset.
 */
function parseCount(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new ConfigError(`${name} must be a whole number of at least 1, got "${value}"`);
  return n;
}
