/**
 * CouchDB's built-in `_changes` filters, which express-pouchdb passes to PouchDB as the name of
 * a design document (`filter=_selector` looks up `_design/_selector`): the lookup fails and,
 * before this, its rejected promise took the whole store down. PouchDB replicating with a
 * `selector` or `doc_ids` sends exactly these, so they are translated into PouchDB's own
 * options; `_design` has no PouchDB counterpart and is refused with a reason.
 */
import express from 'express';

const parseJson = express.json({ limit: '16mb' });

const bad = (res, reason) => res.status(400).json({ error: 'bad_request', reason });

/** Express middleware for `/:db/_changes`; every other request passes untouched. */
export function changesFilters(req, res, next) {
  const filter = req.query.filter;
  if (typeof filter !== 'string' || !filter.startsWith('_') || !/^\/[^/_][^/]*\/_changes\/?$/.test(req.path))
    return next();
  parseJson(req, res, (err) => {
    if (err) return bad(res, `the request body is not JSON: ${err.message}`);
    const body = req.body && typeof req.body === 'object' ? req.body : {};
    if (filter === '_selector') {
      if (!body.selector || typeof body.selector !== 'object' || Array.isArray(body.selector))
        return bad(res, 'Selector must be specified in POST payload');
      req.query.selector = body.selector;
    } else if (filter === '_doc_ids') {
      let ids = body.doc_ids;
      if (ids === undefined && typeof req.query.doc_ids === 'string') {
        try {
          ids = JSON.parse(req.query.doc_ids);
        } catch {
          return bad(res, 'doc_ids must be a JSON array of document ids');
        }
      }
      if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string'))
        return bad(res, 'filter=_doc_ids needs doc_ids: a JSON array of document ids');
      req.query.doc_ids = ids;
    } else if (filter === '_view') {
      return next();
    } else {
      return bad(res, `filter=${filter} is not supported by the embedded store (Apache CouchDB supports it)`);
    }
    delete req.query.filter;
    next();
  });
}
