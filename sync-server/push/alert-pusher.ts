/**
 * Sends every winter alert as a Web Push notification to the subscriptions of its district,
 * however the alert arrived in `region_alerts` (the app, any CouchDB client through the
 * gateway, replication): it follows that database's changes, woken by the change notifier,
 * from a checkpoint kept in the `push` database. Exactly once per subscription: each send is
 * preceded by creating a delivery document whose id is fixed by alert and subscription, so a
 * second instance, or this one after a restart, gets a conflict and skips it. The checkpoint
 * only saves work; the delivery documents are what guarantee it. A send that fails is
 * recorded as failed and not repeated (at most once, so nobody is alerted twice); a push
 * service answering 404 or 410 has dropped the subscription, which is then removed.
 */
import type { FastifyBaseLogger } from 'fastify';
import type nano from 'nano';
import { regionDb } from '../../src/lib/domain/databases';
import { activeUserDocs } from '../auth/users';
import { eachLimited } from '../each-limited.mjs';
import type { AlertDoc } from '../../src/lib/domain/dispatch/types';
import { CoalescedRun } from './coalesced-run';
import type { sendPush } from './send';
import { sendClaimed } from './send-claimed';
import type { PushStore, SubscriptionDoc } from './store';
import type { VapidKeys } from './vapid';
import { isStatus } from '../couch-status';

export const ALERTS_DB = regionDb('alerts');
const CHECKPOINT = 'state:alert-pusher';
/** An alert is useless after a few hours; the push service may drop it after this. */
export const ALERT_TTL_SECONDS = 2 * 60 * 60;
/**
 * Sends in flight at once: a push service slow to answer (or one that trickles its answer
 * until the deadline) holds one of these, not every subscription after it.
 */
const SENDS_AT_ONCE = 8;

export interface PusherOptions {
  allowedOrigins: readonly string[];
  send?: typeof sendPush;
}

type StoredAlert = AlertDoc & { _id: string; _deleted?: boolean; expiresAt?: string };

export function alertPayload(a: StoredAlert): string {
  return JSON.stringify({
    id: a._id,
    title: a.title,
    body: (a.text ?? '').slice(0, 1000),
    district: a.district,
    severity: a.severity,
    url: `/dispatch/alerts?id=${encodeURIComponent(a._id)}`
  });
}

export const topicFor = (district: string) => `winter-${district}`;

export class AlertPusher {
  private readonly runs: CoalescedRun;

  constructor(
    private readonly couch: nano.ServerScope,
    private readonly store: PushStore,
    private readonly keys: VapidKeys,
    private readonly log: FastifyBaseLogger,
    private readonly opts: PusherOptions
  ) {
    this.runs = new CoalescedRun(
      () => this.runOnce(),
      (err) => this.log.error({ err: err.message }, 'alert push run failed; will retry on the next change')
    );
  }

  /** Processes what arrived since the checkpoint; calls during a run schedule one more. */
  kick(): Promise<void> {
    return this.runs.kick();
  }

  stop(): Promise<void> {
    return this.runs.stop();
  }

  private async runOnce(): Promise<void> {
    const cp = await this.store.get<{ seq: string | number }>(CHECKPOINT);
    let since: string | number = cp?.seq ?? 0;
    for (;;) {
      const res = await this.couch
        .use<StoredAlert>(ALERTS_DB)
        .changes({ since: String(since), include_docs: true, limit: 100 });
      for (const row of res.results) {
        const doc = (row as { doc?: StoredAlert }).doc;
        if (row.id.startsWith('_design/') || row.deleted || !doc) continue;
        await this.deliver(doc);
      }
      since = res.last_seq;
      await this.saveCheckpoint(since);
      if (res.results.length < 100) return;
    }
  }

  private async saveCheckpoint(seq: string | number): Promise<void> {
    for (let i = 0; i < 3; i++) {
      const old = await this.store.get<{ seq: string | number }>(CHECKPOINT);
      try {
        await this.store.put({ _id: CHECKPOINT, ...(old?._rev ? { _rev: old._rev } : {}), seq });
        return;
      } catch (err) {
        if (!isStatus(err, 409)) throw err;
      }
    }
  }

  private ttlFor(a: StoredAlert, now: number): number {
    const left = a.expiresAt ? Math.floor((Date.parse(a.expiresAt) - now) / 1000) : ALERT_TTL_SECONDS;
    return Math.max(0, Math.min(ALERT_TTL_SECONDS, left));
  }

  private async deliver(a: StoredAlert): Promise<void> {
    const now = Date.now();
    const arrived = Date.parse(a.receivedAt ?? a.createdAt);
    if (!(now - arrived < ALERT_TTL_SECONDS * 1000)) return;
    const ttl = this.ttlFor(a, now);
    if (ttl === 0) return;
    const inDistrict = (await this.store.subscriptions()).filter((s) => s.districts.includes(a.district));
    const active = await this.activeUsers([...new Set(inDistrict.map((s) => s.userId))]);
    const subs = inDistrict.filter((s) => active.has(s.userId));
    await eachLimited(subs, SENDS_AT_ONCE, (sub) => this.deliverTo(a, sub, ttl));
  }

  /** Users whose accounts exist and are not deactivated: a deactivated person's devices get no more alerts. */
  private async activeUsers(userIds: string[]): Promise<Set<string>> {
    const docs = await activeUserDocs(this.couch, userIds);
    return new Set(userIds.filter((_, i) => docs[i]));
  }

  private async deliverTo(a: StoredAlert, sub: SubscriptionDoc, ttl: number): Promise<void> {
    const claim = await this.store.claim({ alertId: a._id, subscriptionId: sub._id, userId: sub.userId });
    if (!claim) return;
    await sendClaimed({
      store: this.store,
      claim,
      sub,
      payload: alertPayload(a),
      keys: this.keys,
      options: { ttlSeconds: ttl, topic: topicFor(a.district), allowedOrigins: this.opts.allowedOrigins },
      send: this.opts.send,
      log: this.log,
      about: { alert: a._id },
      messages: { failed: 'push delivery failed', refused: 'push service refused the message' }
    });
  }
}
