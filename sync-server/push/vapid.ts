/**
 * The server's VAPID key pair, which identifies it to the browsers' push services. Taken from
 * VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY when set; otherwise generated once into DATA_DIR
 * (`vapid.json`, readable by the server's user only) and reused, because a new key would
 * invalidate every subscription the browsers hold.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import webpush from 'web-push';
import type { Config } from '../config';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  subject: string;
}

export async function loadVapidKeys(config: Config): Promise<VapidKeys> {
  const subject = config.vapidSubject;
  if (config.vapidPublicKey && config.vapidPrivateKey) {
    return { publicKey: config.vapidPublicKey, privateKey: config.vapidPrivateKey, subject };
  }
  const file = path.join(config.vapidDir, 'vapid.json');
  try {
    const saved = JSON.parse(await readFile(file, 'utf8')) as Partial<VapidKeys>;
    if (saved.publicKey && saved.privateKey)
      return { publicKey: saved.publicKey, privateKey: saved.privateKey, subject };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const keys = webpush.generateVAPIDKeys();
  await mkdir(config.vapidDir, { recursive: true });
  // `wx`: two instances starting at once on one DATA_DIR must not each write their own key.
  try {
    await writeFile(file, JSON.stringify(keys), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return loadVapidKeys(config);
    throw err;
  }
  return { ...keys, subject };
}
