/**
 * Keeps the list of databases between requests instead of rebuilding it for each one.
 *
 * express-pouchdb asks `PouchDB.allDbs()` on every request for a database (to answer 404 for
 * one that does not exist), and its wrapper decodes every name of the list each time. With the
 * region's ~1,100 databases that was the embedded store's largest single cost: 9.4 of its 69 s
 * of CPU in one bench run of the central agent (seeding 140 organizations, then three first
 * syncs of one `_changes` read per database); with the list kept, 50 s.
 *
 * Guarantees:
 * - the list answered is the one the wrapped `allDbs` would answer: it is rebuilt after any
 *   database is created or destroyed (PouchDB's own `created` and `destroyed` events, the ones
 *   pouchdb-all-dbs keeps its list by), and a list read before such an event but answered
 *   after it is not kept;
 * - a database opened again after the open-file bound closed it (`created` again, same name)
 *   keeps the list;
 * - every caller gets its own copy.
 */

/**
 * Installs the memo on `Pouch.allDbs` once express-pouchdb has wrapped it (its daemons start
 * asynchronously, so this is called on each request and does nothing after the first time).
 */
export function memoizeAllDbs(Pouch) {
  const inner = Pouch.allDbs;
  if (typeof inner !== 'function' || inner.__memo || !inner._handlers) return;
  let list = null;
  let known = null;
  let generation = 0;
  const forget = () => {
    generation += 1;
    list = null;
    known = null;
  };
  Pouch.on('created', (name) => {
    // Without a list kept, a read may be in flight: it must not be kept either.
    if (list && (known ??= new Set(list)).has(decodeName(name))) return;
    forget();
  });
  Pouch.on('destroyed', forget);

  const memo = function allDbs(callback) {
    const asked = generation;
    const answer = list
      ? Promise.resolve(list)
      : Promise.resolve(inner.call(Pouch)).then((dbs) => {
          if (asked === generation) list = dbs.slice();
          return dbs;
        });
    const copy = answer.then((dbs) => dbs.slice());
    if (typeof callback === 'function') copy.then((dbs) => callback(null, dbs), callback);
    return copy;
  };
  memo.__memo = true;
  Pouch.allDbs = memo;
}

function decodeName(name) {
  const bare = String(name).replace(/^_pouch_/, '');
  try {
    return decodeURIComponent(bare);
  } catch {
    return bare;
  }
}
