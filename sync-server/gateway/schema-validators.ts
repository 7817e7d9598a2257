/**
 * ajv validators for every collection, compiled once from the same schemas the client uses,
 * with ajv's messages turned into sentences that name the field.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { DbRef } from '../../src/lib/domain/databases';
import { ORG_SCHEMAS, REGION_SCHEMAS, toJsonSchema, type CollectionSchema } from '../../src/lib/domain/schemas';
import { useFastDateTime } from './date-time-format';
import { useFastStringLength } from './string-length';

const ajv = new Ajv({ allErrors: false, strict: false });
addFormats(ajv);
useFastStringLength(ajv);
useFastDateTime(ajv);

const compiled = new Map<CollectionSchema, ValidateFunction>();

export function schemaFor(db: DbRef): CollectionSchema {
  return db.kind === 'org' ? ORG_SCHEMAS[db.collection] : REGION_SCHEMAS[db.collection];
}

function validatorFor(schema: CollectionSchema): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) {
    v = ajv.compile(toJsonSchema(schema));
    compiled.set(schema, v);
  }
  return v;
}

function fieldName(path: string): string {
  return path
    .split('/')
    .slice(1)
    .map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`))
    .join('');
}

export function readableError(e: ErrorObject): string {
  const at = fieldName(e.instancePath);
  const where = at ? `${at}: ` : '';
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return `${where}unknown field "${String(p.additionalProperty)}"`;
    case 'required':
      return `${where}missing field "${String(p.missingProperty)}"`;
    case 'enum':
      return `${at || 'value'} must be one of ${(p.allowedValues as unknown[]).map(String).join(', ')}`;
    default:
      return `${at || 'document'} ${e.message ?? 'is invalid'}`;
  }
}

/** null when the document matches its collection's schema, else the first problem as a sentence. */
export function checkSchema(db: DbRef, doc: Record<string, unknown>): string | null {
  const validate = validatorFor(schemaFor(db));
  if (validate(doc)) return null;
  return readableError(validate.errors![0]);
}

const eventFields = new Map<CollectionSchema, string[]>();

/**
 * The append-only event arrays of a collection (items shaped by `eventSchema`: id, at, by,
 * kind), which get server receipt times. `editConflicts` is merge bookkeeping, not events:
 * its times are those of the edits it records.
 */
export function eventFieldsOf(db: DbRef): string[] {
  const schema = schemaFor(db);
  let fields = eventFields.get(schema);
  if (!fields) {
    fields = Object.entries(schema.properties)
      .filter(([name, p]) => {
        const items = p.items as { required?: unknown } | undefined;
        const required = Array.isArray(items?.required) ? items.required : [];
        return (
          name !== 'editConflicts' &&
          p.type === 'array' &&
          ['id', 'at', 'by', 'kind'].every((k) => required.includes(k))
        );
      })
      .map(([name]) => name);
    eventFields.set(schema, fields);
  }
  return fields;
}
