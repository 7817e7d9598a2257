/**
 * Design documents and security objects, built from the source files in `couch/`.
 * Output is deterministic for a database name, so the provisioner can compare what is
 * stored with what should be and write only the difference.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDbName, PRIVATE_DATABASES } from '../../src/lib/domain/databases';
import { IMMUTABLE_FIELDS, ORG_SCHEMAS, REGION_SCHEMAS, type CollectionSchema } from '../../src/lib/domain/schemas';

const COUCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../couch');
export const DESIGN_DOC_ID = '_design/rules';

const read = (rel: string) => readFileSync(path.join(COUCH_DIR, rel), 'utf8');
/**
 * CouchDB wants a bare function expression: the source files export it (so they are valid,
 * linted scripts); keep only the function, without the header comment and the export around it.
 */
const stripHeader = (src: string) =>
  src
    .replace(/^\s*\/\*[\s\S]*?\*\/\s*/, '')
    .replace(/^module\.exports\s*=\s*/, '')
    .trim()
    .replace(/;$/, '');

const VALIDATE_TEMPLATE = stripHeader(read('design/validate_doc_update.js'));
const CONFLICTS_MAP = stripHeader(read('design/views/conflicts/map.js'));
const PRIVATE_SECURITY = read('security/private.json');
const SHARED_SECURITY = read('security/shared.json');

export interface DesignDoc {
  _id: string;
  _rev?: string;
  language: 'javascript';
  validate_doc_update: string;
  views: Record<string, { map: string }>;
}

export interface SecurityObject {
  admins: { names: string[]; roles: string[] };
  members: { names: string[]; roles: string[] };
}

interface Rules {
  orgId?: string;
  required: string[];
  immutable: string[];
}

/** Required fields as stored in CouchDB: the primary key travels as `_id`. */
function requiredFields(schema: CollectionSchema): string[] {
  return schema.required.filter((f) => f !== schema.primaryKey);
}

function rulesFor(db: string): Rules | null {
  const ref = parseDbName(db);
  if (!ref) return null;
  if (ref.kind === 'org') {
    return {
      orgId: ref.orgId,
      required: requiredFields(ORG_SCHEMAS[ref.collection]),
      immutable: [...IMMUTABLE_FIELDS]
    };
  }
  return { required: requiredFields(REGION_SCHEMAS[ref.collection]), immutable: ['createdBy', 'createdAt'] };
}

/** The design document of a product database, or null for `auth`/`push` (no rules of ours). */
export function designDocFor(db: string): DesignDoc | null {
  const rules = rulesFor(db);
  if (!rules) return null;
  return {
    _id: DESIGN_DOC_ID,
    language: 'javascript',
    validate_doc_update: VALIDATE_TEMPLATE.replace('__RULES__', JSON.stringify(rules)),
    views: { conflicts: { map: CONFLICTS_MAP } }
  };
}

export function securityFor(db: string): SecurityObject {
  const isPrivate = (PRIVATE_DATABASES as readonly string[]).includes(db);
  const template = isPrivate ? PRIVATE_SECURITY : SHARED_SECURITY.replaceAll('__DB__', db);
  return JSON.parse(template) as SecurityObject;
}
