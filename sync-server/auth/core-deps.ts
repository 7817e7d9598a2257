/**
 * What the auth and gateway plugins use of the decorations the server core puts on the app.
 * Read through this one accessor so these plugins stay independent of how the core declares them.
 */
import type { FastifyInstance } from 'fastify';
import type nano from 'nano';
import type { OrgInfo } from '../../src/lib/domain/access';

export interface CoreDeps {
  couch: nano.ServerScope;
  config: { publicOrigin: string; signInMaxWaitMs?: number };
  orgs: { list(): OrgInfo[] };
  events: { notify(db: string): void };
}

export function coreDeps(app: FastifyInstance): CoreDeps {
  const a = app as unknown as Partial<CoreDeps>;
  for (const key of ['couch', 'config', 'orgs'] as const) {
    if (!a[key])
      throw new Error(`the server core must decorate the app with "${key}" before auth and gateway are registered`);
  }
  return {
    couch: a.couch!,
    config: a.config!,
    orgs: a.orgs!,
    // Tolerate a core without change notifications: clients then learn of writes by polling.
    events: a.events ?? { notify: () => {} }
  };
}
