/**
 * Query parameters the gateway forwards, each with the form it must have. Anything not listed
 * (for example `filter`, `view`, `include_design`) is refused; accepted values are re-encoded
 * rather than passed through, so CouchDB only ever sees what was checked here.
 */
export type ParamCheck = (value: string) => string | null;
export type ParamRules = Record<string, ParamCheck>;

const bool: ParamCheck = (v) => (v === 'true' || v === 'false' ? null : 'must be true or false');
const int =
  (min: number, max: number): ParamCheck =>
  (v) =>
    /^\d{1,9}$/.test(v) && +v >= min && +v <= max ? null : `must be an integer from ${min} to ${max}`;
const oneOf =
  (...values: string[]): ParamCheck =>
  (v) =>
    values.includes(v) ? null : `must be one of ${values.join(', ')}`;
const rev: ParamCheck = (v) => (/^\d{1,10}-[0-9a-f]{1,64}$/.test(v) ? null : 'must be a revision like 1-abc…');
/** Update sequences: numbers (PouchDB Server) or CouchDB's opaque cluster sequences. */
const seq: ParamCheck = (v) =>
  v === 'now' || /^[0-9A-Za-z_-]{1,4000}$/.test(v) ? null : 'must be an update sequence or "now"';
const jsonOf =
  (test: (x: unknown) => boolean, what: string): ParamCheck =>
  (v) => {
    try {
      return test(JSON.parse(v)) ? null : `must be ${what}`;
    } catch {
      return `must be ${what} (JSON)`;
    }
  };
/**
 * Page sizes the app's clients need, and no more: RxDB pulls pages of 1,000 changes
 * (`src/lib/db/replication.ts`), PouchDB's replicator 100 (`batch_size`). Every row may carry a
 * document of up to 1 MB, so the cap bounds what one request makes CouchDB and the gateway hold.
 */
export const MAX_PAGE = 1000;
/** Ids named in one request when documents come with them (RxDB reads 50 before a push). */
export const MAX_KEYS_WITH_DOCS = 1000;
/** Ids named without documents (revisions only, ~100 bytes a row): a device checking all photos it holds. */
export const MAX_KEYS = 10_000;

const isKey = (x: unknown) => typeof x === 'string' && x.length <= 200;
const isKeyList = (x: unknown) => Array.isArray(x) && x.length <= MAX_KEYS && x.every(isKey);
/**
 * Attachments inline in a feed or a batch would load every photo of a page into memory (a
 * page of a media database is hundreds of megabytes). No client of the app asks for them:
 * PouchDB fetches each attachment on its own (`GET /<db>/<doc>/<attachment>`, or one document
 * with `?attachments=true`).
 */
const noInlineAttachments: ParamCheck = (v) =>
  v === 'false'
    ? null
    : 'is not available here: read attachments one document at a time (GET /<db>/<doc>?attachments=true or /<db>/<doc>/<attachment>)';
const heartbeat: ParamCheck = (v) => (v === 'true' ? null : int(1000, 120_000)(v));

export const CHANGES_PARAMS: ParamRules = {
  since: seq,
  limit: int(0, MAX_PAGE),
  feed: oneOf('normal', 'longpoll'),
  timeout: int(1000, 120_000),
  heartbeat,
  include_docs: bool,
  style: oneOf('main_only', 'all_docs'),
  seq_interval: int(1, 10_000),
  descending: bool,
  conflicts: bool,
  attachments: noInlineAttachments,
  att_encoding_info: bool
};

export const ALL_DOCS_PARAMS: ParamRules = {
  include_docs: bool,
  conflicts: bool,
  descending: bool,
  attachments: noInlineAttachments,
  att_encoding_info: bool,
  update_seq: bool,
  inclusive_end: bool,
  limit: int(0, MAX_PAGE),
  skip: int(0, 1_000_000),
  key: jsonOf(isKey, 'a document id string'),
  keys: jsonOf(isKeyList, 'a list of document ids'),
  startkey: jsonOf(isKey, 'a document id string'),
  endkey: jsonOf(isKey, 'a document id string'),
  start_key: jsonOf(isKey, 'a document id string'),
  end_key: jsonOf(isKey, 'a document id string')
};

export const BULK_GET_PARAMS: ParamRules = { revs: bool, attachments: noInlineAttachments, latest: bool };

export const DOC_PARAMS: ParamRules = {
  rev,
  revs: bool,
  revs_info: bool,
  latest: bool,
  conflicts: bool,
  attachments: bool,
  att_encoding_info: bool,
  open_revs: (v) =>
    v === 'all'
      ? null
      : jsonOf(
          (x) => Array.isArray(x) && x.length <= 1000 && x.every((r) => typeof r === 'string' && rev(r) === null),
          'a list of revisions'
        )(v)
};

export const ATTACHMENT_PARAMS: ParamRules = { rev };
export const NO_PARAMS: ParamRules = {};

/** The checked query to forward, or a reason naming the first parameter refused. */
export function checkParams(rules: ParamRules, query: URLSearchParams): URLSearchParams | string {
  const out = new URLSearchParams();
  for (const [name, value] of query) {
    const check = Object.hasOwn(rules, name) ? rules[name] : undefined;
    if (!check) return `query parameter "${name}" is not allowed here`;
    if (out.has(name)) return `query parameter "${name}" is given twice`;
    const problem = check(value);
    if (problem) return `query parameter "${name}" ${problem}`;
    out.set(name, value);
  }
  return out;
}
