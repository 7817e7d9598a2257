/**
 * For tests: a local HTTP server standing in for a browser's push service, and the browser's
 * side of a subscription (its key pair and auth secret), so a test can decrypt what the
 * server pushed with http_ece exactly as the browser would.
 */
import { createECDH, randomBytes, type ECDH } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as ece from 'http_ece';

export interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface LocalPushService {
  origin: string;
  received: Received[];
  close(): void;
}

/** Answers 201, or 410 for paths under `/gone` (a subscription the browser dropped). */
export async function startLocalPushService(): Promise<LocalPushService> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Uint8Array[] = [];
    req.on('data', (c: Buffer) => chunks.push(new Uint8Array(c)));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(req.url?.startsWith('/gone') ? 410 : 201).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => server.close()
  };
}

export interface Receiver {
  ecdh: ECDH;
  authSecret: string;
  subscription: { endpoint: string; keys: { p256dh: string; auth: string } };
  decrypt(r: Received): Record<string, unknown>;
}

export function receiver(origin: string, path: string): Receiver {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const authSecret = randomBytes(16).toString('base64url');
  return {
    ecdh,
    authSecret,
    subscription: {
      endpoint: `${origin}${path}`,
      keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: authSecret }
    },
    decrypt: (r) =>
      JSON.parse(
        ece.decrypt(r.body, { version: 'aes128gcm', privateKey: ecdh, authSecret }).toString('utf8')
      ) as Record<string, unknown>
  };
}
