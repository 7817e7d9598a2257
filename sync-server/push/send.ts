/**
 * One Web Push request: encrypted (aes128gcm) and signed (VAPID) by `web-push`'s
 * `generateRequestDetails`, sent here so the connection can be checked: the endpoint's name
 * must resolve to public addresses only (unless its origin is allowed), and a push service
 * that does not answer is given up on after a timeout.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import webpush from 'web-push';
import { isInternalAddress, type PushSubscriptionInput } from './endpoint';
import type { VapidKeys } from './vapid';

export interface PushOptions {
  ttlSeconds: number;
  topic: string;
  allowedOrigins: readonly string[];
  /** Longest silence on the connection. */
  timeoutMs?: number;
  /** Longest whole exchange: a service trickling its answer a byte at a time is given up on too. */
  deadlineMs?: number;
}

/** What is kept of a push service's answer (its reason, for the log). */
const MAX_ANSWER_CHARS = 2000;

export interface PushResult {
  status: number;
  body: string;
}

const publicOnly: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '', 4);
    const list = addresses as LookupAddress[];
    const bad = list.find((a) => isInternalAddress(a.address));
    if (bad || list.length === 0) {
      const e = Object.assign(new Error(`${hostname} resolves to an internal address`), { code: 'EINTERNAL' });
      return callback(e, '', 4);
    }
    if ((options as { all?: boolean }).all)
      return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
    callback(null, list[0].address, list[0].family);
  });
};

export function sendPush(
  sub: PushSubscriptionInput,
  payload: string,
  keys: VapidKeys,
  opts: PushOptions
): Promise<PushResult> {
  const details = webpush.generateRequestDetails(sub, payload, {
    vapidDetails: { subject: keys.subject, publicKey: keys.publicKey, privateKey: keys.privateKey },
    TTL: opts.ttlSeconds,
    urgency: 'high',
    topic: opts.topic,
    contentEncoding: 'aes128gcm'
  });
  const url = new URL(details.endpoint);
  const allowed = opts.allowedOrigins.includes(url.origin);
  const mod = url.protocol === 'http:' && allowed ? http : https;
  return new Promise((resolve, reject) => {
    const req = mod.request(
      url,
      {
        method: details.method,
        headers: details.headers as Record<string, string | number>,
        timeout: opts.timeoutMs ?? 10_000,
        ...(allowed ? {} : { lookup: publicOnly })
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          if (body.length < MAX_ANSWER_CHARS) body += c.slice(0, MAX_ANSWER_CHARS - body.length);
        });
        res.on('end', () => {
          clearTimeout(deadline);
          resolve({ status: res.statusCode ?? 0, body });
        });
        res.on('error', (err) => {
          clearTimeout(deadline);
          reject(err);
        });
      }
    );
    const deadline = setTimeout(
      () => req.destroy(new Error('the push service did not finish its answer in time')),
      opts.deadlineMs ?? 10_000
    );
    req.on('timeout', () => req.destroy(new Error('the push service did not answer in time')));
    req.on('error', (err) => {
      clearTimeout(deadline);
      reject(err);
    });
    req.end(details.body ?? undefined);
  });
}
