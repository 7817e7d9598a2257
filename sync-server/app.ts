/**
 * The sync server as a Fastify app: CouchDB connection (embedded or external), provisioning,
 * the organization registry, the demo seed, then auth, the gateway, events, health and the
 * built PWA. Order matters: plugins rely on the decorations made before them.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type nano from 'nano';
import admin from './admin/index';
import auth from './auth/index';
import changesRoute from './changes/route';
import { ensureFirstAdmin, warnAboutDemoAccounts } from './auth/first-admin';
import type { Config } from './config';
import { seedDemoIfWanted } from './demo/seed';
import { markHelpdeskCards } from './admin/user-store';
import { ChangeNotifier } from './events/notifier';
import eventsRoute from './events/route';
import healthRoute from './health/route';
import type { EmbeddedCouch } from './embedded-couch/supervisor';
import winterDispatch from './dispatch/index';
import gateway from './gateway/index';
import { StreamQuota } from './gateway/stream-quota';
import push from './push/index';
import { connectCouch, type CouchMode } from './plugins/couch';
import { registerErrors } from './plugins/errors';
import { registerStatic } from './plugins/static';
import { OrgRegistry, ORGS_DB, storedOrgIds } from './provision/org-registry';
import { migrateTicketEvents } from './provision/ticket-events-migration';
import { moveContractsOut } from './contracts/contracts-migration';
import { LicenceCovers } from './contracts/licence-covers';
import { provisionAll } from './provision/provision';
import { CATALOG_DB, TicketCatalogCache } from './provision/ticket-catalog';

declare module 'fastify' {
  interface FastifyInstance {
    /** nano client authenticated as CouchDB admin. */
    couch: nano.ServerScope;
    couchMode: CouchMode;
    config: Config;
    orgs: OrgRegistry;
    ticketCatalog: TicketCatalogCache;
    events: ChangeNotifier;
    /** Live streams (event streams, longpolls) open per user, capped. */
    streams: StreamQuota;
  }
}

export interface BuiltApp {
  app: FastifyInstance;
  /** Admin URL of CouchDB (credentials included; for tests and tools, never logged). */
  couchUrl: string;
  /** The embedded store's supervisor; undefined with COUCHDB_URL. */
  embedded?: EmbeddedCouch;
  close(): Promise<void>;
}

/** Paths the logs must never show. */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'password',
  '*.password',
  'body.password',
  'couchUrl'
];

export interface BuildOptions {
  /**
   * The store is a copy of one this same code provisioned and that nothing has changed since
   * (the tests' template, testing/template.ts): the check of every database's design document
   * and security object is skipped. That check was a quarter of a test server's start (275 of
   * its 314 requests to the store); a real start always makes it.
   */
  provisioned?: boolean;
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<BuiltApp> {
  const startedAt = Date.now();
  const app = Fastify({
    logger: { level: config.logLevel, redact: { paths: REDACT, censor: '[redacted]' } },
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    forceCloseConnections: 'idle'
  });
  // `forceCloseConnections: 'idle'` closes the connections idle when closing begins; one whose
  // request was still running then stayed open after its answer for Fastify's keep-alive (72 s),
  // so a shutdown during a sync waited that long (and `main.ts` gave up after 15 s, before the
  // store was stopped). From then on a connection is kept one second after an answer: Node
  // starts that wait once the answer's last bytes are handed to the system, so none is cut
  // short (closing idle connections on a timer instead cut answers still being written).
  app.addHook('preClose', (done) => {
    app.server.keepAliveTimeout = 1_000;
    done();
  });

  const couch = await connectCouch(config, app.log);
  let notifier: ChangeNotifier | undefined;
  try {
    app.decorate('couch', couch.client);
    app.decorate('couchMode', couch.mode);
    app.decorate('config', config);

    const orgIds = await storedOrgIds(couch.client);
    if (!options.provisioned) {
      const report = await provisionAll(couch.client, orgIds);
      app.log.info(
        { created: report.createdDbs.length, designDocs: report.updatedDesignDocs.length },
        'databases provisioned'
      );
    }

    const orgs = new OrgRegistry(couch.client, app.log);
    orgs.markProvisioned(orgIds);
    await seedDemoIfWanted(couch.client, {
      demo: config.demo,
      mode: couch.mode,
      log: app.log,
      publicOrigin: config.publicOrigin
    });
    await ensureFirstAdmin(couch.client, config.adminPassword, app.log);
    // A repair, never a reason not to start: a failure is logged and the next day's run tries again.
    const markDesk = () =>
      markHelpdeskCards(couch.client, new Date().toISOString()).then(
        (marked) => marked && app.log.info({ cards: marked }, "directory cards' helpdesk marks set from the accounts"),
        (err: unknown) => app.log.warn({ err: (err as Error).message }, "directory cards' helpdesk marks not set")
      );
    await markDesk();
    // Memberships begin and end by date: the marks follow once a day.
    const deskTimer = setInterval(() => void markDesk(), 24 * 3600_000);
    deskTimer.unref();
    app.addHook('onClose', async () => clearInterval(deskTimer));
    await warnAboutDemoAccounts(couch.client, app.log);
    await orgs.reload();
    await migrateTicketEvents(
      couch.client,
      orgs.list().map((o) => o.id),
      app.log
    );
    await moveContractsOut(
      couch.client,
      orgs.list().map((o) => o.id),
      app.log
    );
    app.decorate('orgs', orgs);
    const ticketCatalog = new TicketCatalogCache(couch.client, app.log);
    await ticketCatalog.reload();
    app.decorate('ticketCatalog', ticketCatalog);

    // Region-wide licence agreements copied to the registers of the organizations they cover:
    // brought in line inside the notifier's start, from its baseline, so these start-up writes
    // are not announced as news (they made every device re-read every register after a reload).
    const covers = new LicenceCovers(couch.client, () => orgs.list().map((o) => o.id), app.log);
    notifier = new ChangeNotifier(couch.client, couch.url, app.log);
    await notifier.start((seqOf) => covers.start(seqOf));
    const n = notifier;
    notifier.subscribe((batch) => {
      if (batch.dbs.includes(ORGS_DB))
        orgs.reload().catch((err: Error) => app.log.error({ err: err.message }, 'organization reload failed'));
      if (batch.dbs.includes(CATALOG_DB)) void ticketCatalog.reload();
    });
    notifier.subscribe((batch) => void covers.changed(batch.dbs));
    app.decorate('events', notifier);
    app.decorate('streams', new StreamQuota(config.maxStreamsPerUser));
    app.addHook('onClose', async () => {
      orgs.close();
      await n.stop();
    });

    registerErrors(app);
    // No compression plugin: the batched pull compresses its own answers
    // (`changes/compressed-answer.ts`), event streams must flush as they are written, and the
    // app's files are compressed at build time.
    await app.register(auth);
    await app.register(winterDispatch);
    await app.register(gateway);
    await app.register(changesRoute);
    await app.register(push);
    await app.register(admin);
    await app.register(eventsRoute);
    await app.register(healthRoute);
    await registerStatic(app, config.staticDir);
    await app.ready();
  } catch (err) {
    notifier?.stop();
    await app.close().catch(() => {});
    await couch.stop();
    throw err;
  }

  app.log.info({ ms: Date.now() - startedAt, couch: couch.mode }, 'sync server built');
  return {
    app,
    couchUrl: couch.url,
    embedded: couch.embedded,
    close: async () => {
      await app.close();
      await couch.stop();
    }
  };
}
