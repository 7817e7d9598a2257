/**
 * Pushes the "my work" reminders to the devices that asked for them (a subscription with
 * `reminders`): a task reaching a lead time, its last day or overdue, a document arriving at
 * the person's approval step, a contract's notice deadline or expiry for its responsible
 * person. Reminders depend on the clock, so a scheduler runs every `intervalMs`; writes of
 * tasks and approvals also wake it (`kick`), so a document reaching a step is pushed at once.
 *
 * Exactly once per occasion, person and device: before sending, the pusher creates a delivery
 * document whose id is fixed by those three (`reminderDeliveryId`) in the private `push`
 * database; a second instance, or this one after a restart, gets a conflict and skips it.
 * A failed send is recorded and not repeated; 404/410 from the push service removes the
 * subscription, as for winter alerts.
 */
import { createHash } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type nano from 'nano';
import type { OrgInfo } from '../../src/lib/domain/access';
import { reminderPayload, type ReminderOccasion } from '../../src/lib/domain/portal/push-reminders';
import { CoalescedRun } from '../push/coalesced-run';
import type { sendPush } from '../push/send';
import { sendClaimed } from '../push/send-claimed';
import type { PushStore, SubscriptionDoc } from '../push/store';
import type { VapidKeys } from '../push/vapid';
import { ReminderReader } from './reminder-items';

/** A reminder is still worth showing a day later; the push service may drop it after that. */
export const REMINDER_TTL_SECONDS = 24 * 60 * 60;

const hash = (s: string, n: number) => createHash('sha256').update(s).digest('base64url').slice(0, n);

/** The delivery record's id: one per occasion, user and device, whatever instance sends it. */
export const reminderDeliveryId = (occasionKey: string, userId: string, subId: string) =>
  `delivery:remind:${hash(`${occasionKey}\u0000${userId}`, 43)}:${subId.slice(4)}`;

export interface ReminderPusherOptions {
  allowedOrigins: readonly string[];
  orgs: () => readonly OrgInfo[];
  now?: () => Date;
  send?: typeof sendPush;
}

export class ReminderPusher {
  private readonly runs: CoalescedRun;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly couch: nano.ServerScope,
    private readonly store: PushStore,
    private readonly keys: VapidKeys,
    private readonly log: FastifyBaseLogger,
    private readonly opts: ReminderPusherOptions
  ) {
    this.runs = new CoalescedRun(
      () => this.runOnce(),
      (err) => this.log.error({ err: err.message }, 'reminder push run failed; will retry on the next run')
    );
  }

  /** Runs every `intervalMs` (0: never; writes still wake it). */
  start(intervalMs: number): void {
    if (intervalMs <= 0 || this.timer || this.runs.stopped) return;
    this.timer = setInterval(() => void this.kick(), intervalMs);
    this.timer.unref();
  }

  /** One run now; a call during a run schedules one more after it. */
  kick(): Promise<void> {
    return this.runs.kick();
  }

  /** Stops the scheduler and waits for a run under way. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.runs.stop();
  }

  private async runOnce(): Promise<void> {
    const subs = (await this.store.subscriptions()).filter((s) => s.reminders === true);
    if (subs.length === 0) return;
    const byUser = new Map<string, SubscriptionDoc[]>();
    for (const s of subs) byUser.set(s.userId, [...(byUser.get(s.userId) ?? []), s]);
    const reader = new ReminderReader(this.couch, this.opts.orgs());
    const now = this.opts.now?.() ?? new Date();
    for (const [userId, own] of byUser) {
      if (this.runs.stopped) return;
      const user = await reader.user(userId);
      if (!user) continue;
      for (const occasion of await reader.occasions(user, now))
        for (const sub of own) await this.deliver(occasion, userId, sub);
    }
  }

  private readonly gone = new Set<string>();

  private async deliver(o: ReminderOccasion, userId: string, sub: SubscriptionDoc): Promise<void> {
    if (this.gone.has(sub._id)) return;
    const claim = await this.store.claimId(reminderDeliveryId(o.key, userId, sub._id), {
      alertId: o.key,
      subscriptionId: sub._id,
      userId
    });
    if (!claim) return;
    const outcome = await sendClaimed({
      store: this.store,
      claim,
      sub,
      payload: JSON.stringify(reminderPayload(o, sub.locale)),
      keys: this.keys,
      options: {
        ttlSeconds: REMINDER_TTL_SECONDS,
        topic: hash(o.itemKey, 32),
        allowedOrigins: this.opts.allowedOrigins
      },
      send: this.opts.send,
      log: this.log,
      about: { occasion: o.key },
      messages: { failed: 'reminder push failed', refused: 'push service refused the reminder' }
    });
    if (outcome === 'gone') this.gone.add(sub._id);
  }
}
