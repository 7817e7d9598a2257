/**
 * Sends one claimed delivery and records how it went, the same for winter alerts and
 * reminders: the delivery document ends as `sent`, `failed` (never retried: at most once) or
 * `gone`, in which case the push service has dropped the subscription and it is removed.
 */
import type { FastifyBaseLogger } from 'fastify';
import { sendPush, type PushOptions, type PushResult } from './send';
import type { DeliveryDoc, PushStore, SubscriptionDoc } from './store';
import type { VapidKeys } from './vapid';

export interface ClaimedSend {
  store: PushStore;
  claim: DeliveryDoc;
  sub: SubscriptionDoc;
  payload: string;
  keys: VapidKeys;
  options: PushOptions;
  send?: typeof sendPush;
  log: FastifyBaseLogger;
  /** What the log lines name (the alert, the occasion). */
  about: Record<string, unknown>;
  /** Log messages for a send that threw and one the push service refused. */
  messages: { failed: string; refused: string };
}

export async function sendClaimed(d: ClaimedSend): Promise<'sent' | 'gone' | 'failed'> {
  let result: PushResult;
  try {
    result = await (d.send ?? sendPush)(d.sub, d.payload, d.keys, d.options);
  } catch (err) {
    await d.store.settle(d.claim, { state: 'failed', error: (err as Error).message });
    d.log.warn({ ...d.about, err: (err as Error).message }, d.messages.failed);
    return 'failed';
  }
  if (result.status === 404 || result.status === 410) {
    await d.store.settle(d.claim, { state: 'gone', status: result.status });
    await d.store.removeById(d.sub._id);
    d.log.info({ subscription: d.sub._id, status: result.status }, 'push subscription gone; removed');
    return 'gone';
  }
  if (result.status >= 200 && result.status < 300) {
    await d.store.settle(d.claim, { state: 'sent', status: result.status });
    return 'sent';
  }
  await d.store.settle(d.claim, { state: 'failed', status: result.status, error: result.body.slice(0, 300) });
  d.log.warn({ ...d.about, status: result.status }, d.messages.refused);
  return 'failed';
}
