/**
 * The event stream's position, kept in the device's own store (an RxDB local document of the
 * user's database, so it is wiped with it and shared by the tabs). It is saved only when
 * everything the stream announced up to it has been read (`replication.ts`), so a page that
 * reloads, or a browser that reopens the app the next day, resumes the stream from there with
 * `Last-Event-ID` and reads only the databases the server names, instead of every database.
 * A position the server can no longer vouch for gets a `resync` answer: then everything is
 * checked, as on a first start.
 */
import type { RxDatabase } from 'rxdb';

const KEY = 'stream-position';

export async function loadStreamPosition(db: RxDatabase): Promise<string | undefined> {
  try {
    const doc = await db.getLocal<{ id: string }>(KEY);
    const id = doc?.get('id');
    return typeof id === 'string' && id ? id : undefined;
  } catch {
    return undefined;
  }
}

/** Saves positions one after another (the latest wins); a failed save only costs a wider catch-up later. */
export function streamPositionSaver(db: RxDatabase): (id: string) => void {
  let queue = Promise.resolve();
  return (id) => {
    queue = queue
      .then(() => db.upsertLocal(KEY, { id, savedAt: new Date().toISOString() }))
      .then(
        () => undefined,
        () => undefined
      );
  };
}
