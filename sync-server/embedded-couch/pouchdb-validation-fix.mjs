/**
 * Fixes a data-loss bug of pouchdb-validation (express-pouchdb's validate_doc_update support,
 * unmaintained since 2019): before running the validation functions it overwrites the NEW
 * document's `_revisions` with the STORED document's, on the very object that is then written.
 * A replicated edit (`_bulk_docs` with new_edits:false) of an existing document then carries its
 * old revision history, and the store silently keeps the old revision while answering success.
 *
 * The fix validates a shallow copy instead. It is applied by recompiling the module's source
 * with that one statement changed, before express-pouchdb loads it; if the statement is not
 * found (the package changed), start-up stops, because running with the bug loses writes.
 * Imported for its side effect, first, by child.mjs.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const expressPouchPath = require.resolve('express-pouchdb');
const requireFromExpressPouch = createRequire(expressPouchPath);
const target = requireFromExpressPouch.resolve('pouchdb-validation');

const BUGGY = 'newDoc._revisions = (oldDoc || {})._revisions;';
const FIXED = 'newDoc = Object.assign({}, newDoc, { _revisions: (oldDoc || {})._revisions });';

const source = fs.readFileSync(target, 'utf8');
if (!source.includes(BUGGY)) {
  console.error(`pouchdb-validation changed; review the _revisions fix in ${import.meta.url}`);
  process.exit(4);
}
const Module = require('node:module');
const patched = new Module(target, null);
patched.filename = target;
patched.paths = Module._nodeModulePaths(target.replace(/[/\\][^/\\]*$/, ''));
patched._compile(source.replace(BUGGY, FIXED), target);
patched.loaded = true;
require.cache[target] = patched;
