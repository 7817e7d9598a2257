/**
 * `_local` documents (replication checkpoints) through the gateway: only a user who may write
 * a database may store them there, and only the person who first stored one may change it; each at most `MAX_LOCAL_DOC_BYTES`, at most
 * `MAX_LOCAL_PER_USER` per user and `MAX_LOCAL_PER_DB` per database. CouchDB cannot list
 * `_local` documents cheaply (the embedded store not at all), so the ids stored through the
 * gateway are kept in a registry document per database in the private `auth` database, shared
 * by every server instance; an update that meets a conflict re-reads it.
 */
import type nano from 'nano';
import { isStatus } from '../couch-status';

export const MAX_LOCAL_DOC_BYTES = 64 * 1024;
/**
 * A replicator keeps one checkpoint per pair of databases it replicates: PouchDB pushing a
 * device's photos writes one into the organization's media database. A person has a few
 * devices; the whole IT department replicating every organization stays far below 500.
 */
export const MAX_LOCAL_PER_USER = 20;
export const MAX_LOCAL_PER_DB = 500;

const AUTH_DB = 'auth';

interface Registry {
  _id: string;
  _rev?: string;
  type: 'local-docs';
  db: string;
  /** `_local` id → the user who created it. */
  ids: Record<string, string>;
}

const registryId = (db: string) => `local-docs:${db}`;

export class LocalDocRegistry {
  private readonly perDb: number;
  private readonly perUser: number;

  constructor(
    private readonly couch: nano.ServerScope,
    limits: { perDb?: number; perUser?: number } = {}
  ) {
    this.perDb = limits.perDb ?? MAX_LOCAL_PER_DB;
    this.perUser = limits.perUser ?? MAX_LOCAL_PER_USER;
  }

  private async read(db: string): Promise<Registry> {
    try {
      return (await this.couch.use<Registry>(AUTH_DB).get(registryId(db))) as Registry;
    } catch (err) {
      if (!isStatus(err, 404)) throw err;
      return { _id: registryId(db), type: 'local-docs', db, ids: {} };
    }
  }

  /** Null when `userId` may store `_local/<id>` in `db` (registering it), else why not. */
  async admit(db: string, id: string, userId: string): Promise<string | null> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const reg = await this.read(db);
      // Another person's checkpoint is theirs: rewritten, it could make their replication skip
      // what it has not sent yet. (A device's checkpoint ids name its user's own local database.)
      if (id in reg.ids)
        return reg.ids[id] === userId ? null : `the replication checkpoint ${id} in ${db} belongs to another person`;
      const all = Object.values(reg.ids);
      if (all.filter((u) => u === userId).length >= this.perUser)
        return `you already keep ${this.perUser} replication checkpoints in ${db}, the most allowed per person`;
      if (all.length >= this.perDb)
        return `${db} already holds ${this.perDb} replication checkpoints, the most allowed; ask an administrator`;
      try {
        await this.couch.use<Registry>(AUTH_DB).insert({ ...reg, ids: { ...reg.ids, [id]: userId } });
        return null;
      } catch (err) {
        if (!isStatus(err, 409)) throw err;
      }
    }
    return 'too many checkpoints are being stored at once; try again';
  }
}
