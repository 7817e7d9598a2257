/**
 * Push subscriptions and deliveries in the private `push` database (never reachable through
 * the gateway). A subscription's id is derived from its endpoint, so subscribing again
 * updates it. A delivery's id is derived from the alert and the subscription, so however
 * many server instances see the same alert, only the one that creates the delivery document
 * first sends it (the others get a conflict): exactly one attempt per subscription, across
 * restarts too.
 */
import { createHash } from 'node:crypto';
import type nano from 'nano';
import type { PushSubscriptionInput } from './endpoint';
import { isConflict, isMissing } from '../couch-status';

export const PUSH_DB = 'push';
/**
 * Devices one person receives pushes on. A new one beyond it replaces the one not renewed for
 * longest (a browser gets a new endpoint now and then and the old one is never unsubscribed);
 * without a bound one account could fill every alert's delivery run.
 */
export const MAX_SUBSCRIPTIONS_PER_USER = 10;

export interface SubscriptionDoc extends PushSubscriptionInput {
  _id: string;
  _rev?: string;
  type: 'subscription';
  userId: string;
  districts: string[];
  /** Whether the inbox's reminders are pushed here too (absent on older subscriptions: no). */
  reminders?: boolean;
  /** The language the device shows (reminder texts); Czech when absent. */
  locale?: 'cs' | 'en';
  createdAt: string;
  updatedAt: string;
}

export interface DeliveryDoc {
  _id: string;
  _rev?: string;
  type: 'delivery';
  alertId: string;
  subscriptionId: string;
  userId: string;
  state: 'sending' | 'sent' | 'gone' | 'failed';
  status?: number;
  error?: string;
  at: string;
}

export const subscriptionId = (endpoint: string) => `sub:${createHash('sha256').update(endpoint).digest('hex')}`;
export const deliveryId = (alertId: string, subId: string) => `delivery:${alertId}:${subId.slice(4)}`;

export class PushStore {
  private readonly db: nano.DocumentScope<unknown>;

  constructor(couch: nano.ServerScope) {
    this.db = couch.use(PUSH_DB);
  }

  /**
   * Saves the device's subscription. What is not given is kept: the account settings turn
   * reminders on without touching the winter districts chosen on the alerts screen.
   */
  async save(
    userId: string,
    sub: PushSubscriptionInput,
    districts: string[] | undefined,
    more: { reminders?: boolean; locale?: 'cs' | 'en' } = {}
  ): Promise<SubscriptionDoc> {
    const _id = subscriptionId(sub.endpoint);
    const now = new Date().toISOString();
    for (let attempt = 0; ; attempt++) {
      const old = await this.get<SubscriptionDoc>(_id);
      const doc: SubscriptionDoc = {
        _id,
        ...(old ? { _rev: old._rev } : {}),
        type: 'subscription',
        userId,
        endpoint: sub.endpoint,
        keys: sub.keys,
        // Another user's old subscription of this device keeps nothing: the device is now this user's.
        districts: districts ?? (old?.userId === userId ? old.districts : []),
        reminders: more.reminders ?? (old?.userId === userId ? old.reminders === true : false),
        locale: more.locale ?? (old?.userId === userId ? old.locale : undefined) ?? 'cs',
        createdAt: old?.createdAt ?? now,
        updatedAt: now
      };
      try {
        await this.db.insert(doc);
        if (old?.userId !== userId) await this.keepNewest(userId);
        return doc;
      } catch (err) {
        if (!isConflict(err) || attempt > 3) throw err;
      }
    }
  }

  private async keepNewest(userId: string): Promise<void> {
    const mine = (await this.subscriptions())
      .filter((d) => d.userId === userId)
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
    for (const d of mine.slice(MAX_SUBSCRIPTIONS_PER_USER)) await this.removeById(d._id);
  }

  /** Removes the user's subscription of this endpoint; false when there was none. */
  async remove(userId: string, endpoint: string): Promise<boolean> {
    const doc = await this.get<SubscriptionDoc>(subscriptionId(endpoint));
    if (!doc || doc.userId !== userId) return false;
    await this.db.destroy(doc._id, doc._rev!);
    return true;
  }

  async removeById(id: string): Promise<void> {
    const doc = await this.get<SubscriptionDoc>(id);
    if (doc)
      await this.db
        .destroy(id, doc._rev!)
        .catch((err: unknown) => (isMissing(err) || isConflict(err) ? undefined : Promise.reject(err)));
  }

  async subscriptions(): Promise<SubscriptionDoc[]> {
    const res = await this.db.list({ include_docs: true, startkey: 'sub:', endkey: 'sub:\ufff0' });
    return res.rows.map((r) => r.doc as SubscriptionDoc).filter((d) => d?.type === 'subscription');
  }

  /** Claims a delivery: true when this instance created it and must send. */
  async claim(d: Omit<DeliveryDoc, '_id' | 'type' | 'state' | 'at'>): Promise<DeliveryDoc | null> {
    return this.claimId(deliveryId(d.alertId, d.subscriptionId), d);
  }

  /** The user's subscription of this endpoint, if any. */
  async mine(userId: string, endpoint: string): Promise<SubscriptionDoc | null> {
    const doc = await this.get<SubscriptionDoc>(subscriptionId(endpoint));
    return doc && doc.userId === userId ? doc : null;
  }

  /** Claims a delivery under a fixed id (the caller's key for what is delivered to whom). */
  async claimId(_id: string, d: Omit<DeliveryDoc, '_id' | 'type' | 'state' | 'at'>): Promise<DeliveryDoc | null> {
    const doc: DeliveryDoc = { _id, type: 'delivery', state: 'sending', at: new Date().toISOString(), ...d };
    try {
      const res = await this.db.insert(doc);
      return { ...doc, _rev: res.rev };
    } catch (err) {
      if (isConflict(err)) return null;
      throw err;
    }
  }

  async settle(doc: DeliveryDoc, outcome: Pick<DeliveryDoc, 'state' | 'status' | 'error'>): Promise<void> {
    await this.db.insert({ ...doc, ...outcome, at: new Date().toISOString() } as nano.MaybeDocument);
  }

  async deliveries(alertId: string): Promise<DeliveryDoc[]> {
    const res = await this.db.list({
      include_docs: true,
      startkey: `delivery:${alertId}:`,
      endkey: `delivery:${alertId}:\ufff0`
    });
    return res.rows.map((r) => r.doc as DeliveryDoc);
  }

  async get<T>(id: string): Promise<(T & { _rev?: string }) | null> {
    try {
      return (await this.db.get(id)) as unknown as T & { _rev?: string };
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async put(doc: { _id: string; _rev?: string } & Record<string, unknown>): Promise<string> {
    return (await this.db.insert(doc)).rev;
  }
}
