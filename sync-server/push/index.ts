/**
 * Web Push for winter alerts: the VAPID keys, the subscription routes, and the alert pusher
 * woken by every change of `region_alerts` (and once at start, for what arrived meanwhile).
 * The same keys and subscriptions carry the inbox's reminders (`portal/reminder-pusher.ts`):
 * following the same changes (woken by writes of tasks and approvals), and on a schedule for
 * deadlines that pass with no write.
 */
import type { FastifyInstance } from 'fastify';
import { ReminderPusher } from '../portal/reminder-pusher';
import { ALERTS_DB, AlertPusher } from './alert-pusher';
import { pushRoutes } from './routes';
import { PushStore } from './store';
import { loadVapidKeys } from './vapid';

async function push(app: FastifyInstance) {
  const keys = await loadVapidKeys(app.config);
  const allowedOrigins = app.config.pushAllowedOrigins.map((o) => new URL(o).origin);
  const store = new PushStore(app.couch);
  const pusher = new AlertPusher(app.couch, store, keys, app.log, { allowedOrigins });
  const reminders = new ReminderPusher(app.couch, store, keys, app.log, {
    allowedOrigins,
    orgs: () => app.orgs.list()
  });
  pushRoutes(app, store, keys.publicKey, allowedOrigins);
  // The device a person signs out of stops receiving their reminders and alerts.
  app.signOutTasks.push(async (userId, endpoint) => {
    if (endpoint) await store.remove(userId, endpoint);
  });
  const off = app.events.subscribe((batch) => {
    if (batch.dbs.includes(ALERTS_DB)) void pusher.kick();
    reminders.changed(batch.dbs);
  });
  app.addHook('onReady', async () => {
    void pusher.kick();
    void reminders.kick();
    reminders.start(app.config.reminderIntervalMs);
  });
  app.addHook('onClose', async () => {
    off();
    await Promise.all([pusher.stop(), reminders.stop()]);
  });
}

Object.assign(push, { [Symbol.for('fastify.display-name')]: 'push' });
export default push;
