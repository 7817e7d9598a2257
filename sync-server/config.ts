/**
 * Configuration from the environment. Every setting has a safe default so that
 * `npm start` on a fresh clone runs the whole product on one machine.
 */
import path from 'node:path';

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
  /** The built PWA (SvelteKit adapter-static output). */
  staticDir: string;
  bodyLimit: number;
  logLevel: string;
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
    staticDir: path.resolve(env.STATIC_DIR || 'build'),
    bodyLimit: 1024 * 1024,
    logLevel: env.LOG_LEVEL || 'info'
  };
}
