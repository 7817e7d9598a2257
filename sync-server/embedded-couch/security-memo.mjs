/**
 * Keeps each open database's security object instead of reading it for every request.
 *
 * express-pouchdb's security route reads `_local/_security` from LevelDB before every request
 * on a database, only to hand it to the request (for `validate_doc_update`'s `secObj`); every
 * request here is the administrator's (child.mjs refuses the rest), so nothing is checked
 * against it. In one bench run of the central agent (some 5,000 such requests) the read cost
 * 4.5 of the store's 50 s of CPU.
 *
 * Guarantees:
 * - the object answered is the one stored: it is read once per open database instance (a
 *   database the open-file bound closed is read again when it reopens), dropped when
 *   `putSecurity` starts and again when it ends, and a read that overlapped a write is not kept;
 * - a failed read is not kept;
 * - each caller gets its own copy (pouchdb-security fills missing sections in place).
 */

/** A database wrapper for express-pouchdb's `dbWrapper.registerWrapper` (runs once per opened instance). */
export function securityMemo(name, db, next) {
  const get = db.getSecurity;
  const put = db.putSecurity;
  if (typeof get !== 'function' || typeof put !== 'function') return next();
  let kept = null;
  let generation = 0;
  const forget = () => {
    generation += 1;
    kept = null;
  };

  db.getSecurity = function getSecurity(...args) {
    const callback = typeof args[args.length - 1] === 'function' ? args.pop() : undefined;
    if (!kept) {
      const asked = generation;
      const read = Promise.resolve(get.call(db));
      kept = read;
      read.then(
        () => {
          if (asked !== generation && kept === read) kept = null;
        },
        () => {
          if (kept === read) kept = null;
        }
      );
    }
    const copy = kept.then((sec) => structuredClone(sec));
    if (callback) copy.then((sec) => callback(null, sec), callback);
    return copy;
  };

  db.putSecurity = function putSecurity(...args) {
    forget();
    const callback = typeof args[args.length - 1] === 'function' ? args.pop() : undefined;
    const done = Promise.resolve(put.apply(db, args)).finally(forget);
    if (callback) done.then((res) => callback(null, res), callback);
    return done;
  };
  return next();
}
