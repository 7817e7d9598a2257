/**
 * Web Push for winter alerts: the VAPID keys, the subscription routes, and the alert pusher
 * woken by every change of `region_alerts` (and once at start, for what arrived meanwhile).
 */
import type { FastifyInstance } from 'fastify';
import { ALERTS_DB, AlertPusher } from './alert-pusher';
import { pushRoutes } from './routes';
import { PushStore } from './store';
import { loadVapidKeys } from './vapid';

async function push(app: FastifyInstance) {
  const keys = await loadVapidKeys(app.config);
  const allowedOrigins = app.config.pushAllowedOrigins.map((o) => new URL(o).origin);
  const store = new PushStore(app.couch);
  const pusher = new AlertPusher(app.couch, store, keys, app.log, { allowedOrigins });
  pushRoutes(app, store, keys.publicKey, allowedOrigins);
  const off = app.events.subscribe((batch) => {
    if (batch.dbs.includes(ALERTS_DB)) void pusher.kick();
  });
  app.addHook('onReady', async () => void pusher.kick());
  app.addHook('onClose', async () => {
    off();
    await pusher.stop();
  });
}

Object.assign(push, { [Symbol.for('fastify.display-name')]: 'push' });
export default push;
