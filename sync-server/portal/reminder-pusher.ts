/**
 * Pushes the "my work" reminders to the devices that asked for them (a subscription with
 * `reminders`): a task reaching a lead time, its last day or overdue, a document arriving at
 * the person's approval step, a contract's notice deadline or expiry for its responsible
 * person. It follows the change notifier (`changed`): what it read of a database is kept until
 * a batch names that database, and writes of tasks and approvals wake it at once, so a document
 * reaching a step is pushed at once and a run reads only what changed. The clock alone makes a
 * task or contract due, so a scheduler looks every `intervalMs`, and runs only when something
 * changed since, the day turned, or a deadline seen in the last run has passed: a look with
 * nothing changed and no deadline passing reads nothing.
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
import { pragueDate, type OrgInfo } from '../../src/lib/domain/access';
import { reminderPayload, type ReminderOccasion } from '../../src/lib/domain/portal/push-reminders';
import { CoalescedRun } from '../push/coalesced-run';
import type { sendPush } from '../push/send';
import { sendClaimed } from '../push/send-claimed';
import { PUSH_DB, type PushStore, type SubscriptionDoc } from '../push/store';
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

/** Databases whose writes are a reminder at once (a task given, a document at a step). */
const WAKES = /^org_.+_(tasks|approvals)$/;

/** The day for the schedule: the person's (Prague) and the server's, either turning matters. */
const dayOf = (now: Date) => `${pragueDate(now)}|${now.toDateString()}`;

export class ReminderPusher {
  private readonly runs: CoalescedRun;
  private readonly reader: ReminderReader;
  private timer: NodeJS.Timeout | null = null;
  private subs: Promise<SubscriptionDoc[]> | null = null;
  /** Something read may have changed since the last run (or it failed, or there was none). */
  private dirty = true;
  private lastDay = '';
  private nextDeadline = Infinity;
  /** Deliveries claimed or found claimed, of the occasions still current: not asked again. */
  private tried = new Set<string>();

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
    this.reader = new ReminderReader(couch, () => this.opts.orgs());
  }

  /** Looks every `intervalMs` whether the clock or a change calls for a run (0: never; writes still wake it). */
  start(intervalMs: number): void {
    if (intervalMs <= 0 || this.timer || this.runs.stopped) return;
    this.timer = setInterval(() => {
      if (this.due()) void this.kick();
    }, intervalMs);
    this.timer.unref();
  }

  /** The change notifier named these databases. */
  changed(dbs: readonly string[]): void {
    if (dbs.includes(PUSH_DB)) this.subs = null;
    if (this.reader.invalidate(dbs) || dbs.includes(PUSH_DB)) this.dirty = true;
    if (dbs.some((db) => WAKES.test(db))) void this.kick();
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

  private now(): Date {
    return this.opts.now?.() ?? new Date();
  }

  private due(): boolean {
    const now = this.now();
    return this.dirty || dayOf(now) !== this.lastDay || now.getTime() >= this.nextDeadline;
  }

  private subscriptions(): Promise<SubscriptionDoc[]> {
    this.subs ??= this.store.subscriptions().catch((err: unknown) => {
      this.subs = null;
      return Promise.reject(err);
    });
    return this.subs;
  }

  private async runOnce(): Promise<void> {
    this.dirty = false;
    try {
      await this.pushDue(this.now());
    } catch (err) {
      this.dirty = true;
      throw err;
    }
  }

  private async pushDue(now: Date): Promise<void> {
    const subs = (await this.subscriptions()).filter((s) => s.reminders === true);
    const byUser = new Map<string, SubscriptionDoc[]>();
    for (const s of subs) byUser.set(s.userId, [...(byUser.get(s.userId) ?? []), s]);
    const users = await this.reader.signedIn([...byUser.keys()]);
    const current = new Set<string>();
    let next = Infinity;
    for (const [userId, own] of byUser) {
      if (this.runs.stopped) return;
      const user = users.get(userId);
      if (!user) continue;
      const due = await this.reader.occasions(user, now);
      next = Math.min(next, due.next);
      for (const occasion of due.occasions)
        for (const sub of own) {
          const id = reminderDeliveryId(occasion.key, userId, sub._id);
          current.add(id);
          if (!this.tried.has(id)) await this.deliver(id, occasion, userId, sub);
        }
    }
    this.tried = new Set([...this.tried].filter((id) => current.has(id)));
    this.lastDay = dayOf(now);
    this.nextDeadline = next;
  }

  private readonly gone = new Set<string>();

  private async deliver(id: string, o: ReminderOccasion, userId: string, sub: SubscriptionDoc): Promise<void> {
    if (this.gone.has(sub._id)) return;
    const claim = await this.store.claimId(id, { alertId: o.key, subscriptionId: sub._id, userId });
    this.tried.add(id);
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
