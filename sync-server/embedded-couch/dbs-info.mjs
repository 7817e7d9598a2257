/**
 * `POST /_dbs_info` as Apache CouchDB (2.2 and later) answers it: the information of up to 100
 * databases in one request, `[{key, info}]`, a missing one as `{key, error: "not_found"}`, in
 * the order asked. express-pouchdb lacks it; the change notifier reads every database's update
 * sequence through it (hundreds of databases: one request per hundred instead of one each).
 *
 * Guarantees:
 * - a database is opened through the open-file bound (`openDbs.use`), held like a request
 *   holds it, at most `AT_ONCE` of one request at a time (a hundred held at once could pass a
 *   bound of ~110 databases under a 1,024-file limit), and a database that does not exist is
 *   never created by asking;
 * - a body that is not `{keys: [string, …]}` with 1–100 keys is answered 400 with a reason,
 *   as CouchDB does, and nothing is opened;
 * - a database that exists but cannot be opened is answered as an error of its own entry
 *   (`{key, error, reason}`), not as a failure of the whole request.
 */
import { createRequire } from 'node:module';
import { eachLimited } from '../each-limited.mjs';

const require = createRequire(import.meta.url);
const cleanFilename = require(require.resolve('express-pouchdb').replace(/index\.js$/, '') + 'clean-filename.js');

/** CouchDB's default `[chttpd] max_db_number_for_dbs_info_req`. */
export const MAX_DBS_INFO_KEYS = 100;
/** Databases of one request held open at once. */
const AT_ONCE = 8;

function badRequest(res, reason) {
  res.status(400).json({ error: 'bad_request', reason });
}

/** The express handler; mount with a JSON body parser, before express-pouchdb. */
export function dbsInfo(Pouch, openDbs) {
  async function answerFor(key, existing) {
    const name = cleanFilename(key);
    if (!existing.has(name)) return { key, error: 'not_found' };
    try {
      return { key, info: await openDbs.use(name, (db) => db.info()) };
    } catch (err) {
      return { key, error: err?.name ?? 'unknown_error', reason: String(err?.message ?? err) };
    }
  }

  return async (req, res) => {
    const keys = req.body?.keys;
    if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string')) {
      return badRequest(res, '`keys` member must exist and be a list of database names.');
    }
    if (keys.length === 0 || keys.length > MAX_DBS_INFO_KEYS) {
      return badRequest(res, `\`keys\` must name 1 to ${MAX_DBS_INFO_KEYS} databases.`);
    }
    try {
      const existing = new Set(await Pouch.allDbs());
      const answers = new Array(keys.length);
      await eachLimited(keys, AT_ONCE, async (key, i) => {
        answers[i] = await answerFor(key, existing);
      });
      res.json(answers);
    } catch (err) {
      res.status(500).json({ error: 'dbs_info', reason: String(err?.message ?? err) });
    }
  };
}
