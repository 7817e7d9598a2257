/**
 * GET /api/health: the server's and CouchDB's state, for monitoring and load balancers.
 * 503 when CouchDB does not answer (`unavailable`) or answers but cannot serve all the data
 * (`unhealthy`: the embedded store cannot open a database, or the organization list could not
 * be loaded; or its process is out of open files, which is said even when it no longer
 * answers); `problems` then says, in words, what is wrong and what to do.
 */
import type { FastifyInstance } from 'fastify';
import {
  embeddedStoreStatus,
  fileLimitProblem,
  processFiles,
  storeProblem,
  type HealthProblem,
  type StoreStatus
} from '../embedded-couch/store-status';
import { EmbeddedCouch } from '../embedded-couch/supervisor';

const COUCH_TIMEOUT_MS = 2_000;

function withTimeout<T>(p: Promise<T>): Promise<T> {
  return Promise.race([
    p,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('CouchDB did not answer in time')), COUCH_TIMEOUT_MS).unref()
    )
  ]);
}

export default async function healthRoute(app: FastifyInstance): Promise<void> {
  app.get('/api/health', async (_request, reply) => {
    const mode = app.couchMode;
    let couch: { ok: boolean; mode: string; version?: string; error?: string };
    try {
      const info = await withTimeout(app.couch.info());
      couch = { ok: true, mode, version: String(info.version ?? '') };
    } catch (err) {
      couch = { ok: false, mode, error: (err as Error).message };
    }
    const problems: HealthProblem[] = [];
    let store: StoreStatus | undefined;
    if (couch.ok && mode === 'embedded') {
      try {
        store = await withTimeout(embeddedStoreStatus(app.couch));
        const problem = storeProblem(store);
        if (problem) problems.push(problem);
      } catch (err) {
        problems.push({
          code: 'store_status',
          message: `The embedded store does not report its state: ${(err as Error).message}`
        });
      }
    }
    if (mode === 'embedded' && !problems.some((p) => p.code === 'store_file_limit')) {
      const pid = EmbeddedCouch.byUrl(app.couch.config.url)?.pid;
      const problem = pid ? fileLimitProblem(processFiles(pid)) : null;
      if (problem) problems.push(problem);
    }
    const orgError = app.orgs.lastError;
    if (orgError) {
      problems.push({
        code: 'orgs_reload_failed',
        message: `The organization list could not be loaded (${orgError.message}, ${orgError.at}); closing, reopening or adding an organization takes effect only once a reload succeeds (it is tried again by itself, every few minutes at most). See the problems above or the server log.`
      });
    }
    // Out of files is worth saying even when the store no longer answers: it says what to do.
    const outOfFiles = problems.some((p) => p.code === 'store_file_limit');
    const status = !couch.ok && !outOfFiles ? 'unavailable' : problems.length > 0 ? 'unhealthy' : 'ok';
    const body = {
      status,
      couch,
      ...(store
        ? {
            store: {
              openDbs: store.openDbs,
              maxOpenDbs: store.maxOpenDbs,
              inUseDbs: store.inUseDbs ?? 0,
              openFiles: store.openFiles,
              fileLimit: store.fileLimit
            }
          }
        : {}),
      ...(problems.length > 0 ? { problems } : {}),
      events: { following: app.events.connected },
      orgs: app.orgs.list().length,
      uptime: Math.round(process.uptime())
    };
    return reply.code(status === 'ok' ? 200 : 503).send(body);
  });
}
