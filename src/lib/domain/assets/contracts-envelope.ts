/**
 * Licence, telephony and contract records in the asset module's collection: the envelope
 * (id, organization, type, audit fields) plus `data`, which holds the record's own fields.
 * Nothing of these records is listed by an index of the collection (they are few next to the
 * assets), so they keep their fields together in `data` and read as one flat object here.
 */
import { isDay } from './contracts-calendar';

type Doc = Record<string, unknown>;

/** The record as the domain reads it: `data` spread over id, organization and type (indexed fields are derived). */
export function fromEnvelope<T>(doc: Doc): T {
  const data = doc.data && typeof doc.data === 'object' ? (doc.data as Doc) : {};
  return { ...data, id: doc.id, orgId: doc.orgId, type: doc.type } as T;
}

/**
 * The collection's indexed fields for a record ('' where they mean nothing): lists look a
 * number, a contract or a holder up by `key`, the seats of an agreement by `refId`, what ends
 * soon by `day`. Derived from the record, never edited on their own.
 */
export function indexFieldsOf(type: string, data: Doc): { key: string; refId: string; state: string; day: string } {
  const s = (v: unknown) => (typeof v === 'string' ? v : '');
  const key = (v: unknown) => s(v).slice(0, 60);
  switch (type) {
    case 'licence':
      return { key: key(data.product), refId: '', state: '', day: s(data.validTo) };
    case 'licence_seat':
      return {
        key: key(data.holderId),
        refId: s(data.agreementId),
        state: data.releasedOn ? 'released' : '',
        day: s(data.since)
      };
    case 'phone_operator':
      return { key: key(data.name), refId: '', state: '', day: '' };
    case 'phone_range':
      return { key: key(data.from), refId: s(data.operatorId), state: '', day: '' };
    case 'phone_number':
      return { key: key(data.number), refId: '', state: data.releasedOn ? 'released' : '', day: s(data.since) };
    case 'contract':
      return { key: key(data.number), refId: '', state: '', day: s(data.expiresOn) };
    default:
      return { key: key(data.validFrom), refId: '', state: '', day: s(data.validFrom) };
  }
}

/** The envelope fields of a record (audit fields are the caller's). */
export function toEnvelope<T extends { id: string; orgId: string; type: string }>(record: T): Doc {
  const { id, orgId, type, ...data } = record as unknown as Doc & { id: string; orgId: string; type: string };
  const clean: Doc = {};
  for (const [k, v] of Object.entries(data)) if (v !== undefined && v !== '') clean[k] = v;
  return { id, orgId, type, ...indexFieldsOf(type, clean), data: clean };
}

/** Whether a document's indexed fields are those its record derives (null) or which one is not. */
export function indexFieldsProblem(doc: Doc): string | null {
  const want = indexFieldsOf(String(doc.type), dataOf(doc) ?? {});
  for (const [k, v] of Object.entries(want)) if ((doc[k] ?? '') !== v) return `${k} must be "${v}" for this record`;
  return null;
}

/** Field checks over a record's `data`, each a sentence naming the field, or null. */
export class DataCheck {
  private problem: string | null = null;
  constructor(
    private readonly data: Doc,
    private readonly allowed: readonly string[]
  ) {
    for (const k of Object.keys(data)) if (!allowed.includes(k)) this.fail(`there is no field "${k}" here`);
  }
  private fail(reason: string): this {
    this.problem ??= reason;
    return this;
  }
  text(field: string, opts: { required?: boolean; max?: number } = {}): this {
    const v = this.data[field];
    if (v === undefined) return opts.required ? this.fail(`${field} is required`) : this;
    if (typeof v !== 'string' || (opts.required && !v.trim())) return this.fail(`${field} must be text`);
    return v.length > (opts.max ?? 200) ? this.fail(`${field} is longer than ${opts.max ?? 200} characters`) : this;
  }
  day(field: string, required = false): this {
    const v = this.data[field];
    if (v === undefined) return required ? this.fail(`${field} is required`) : this;
    return isDay(v) ? this : this.fail(`${field} must be a date (YYYY-MM-DD)`);
  }
  int(field: string, min: number, max: number, required = false): this {
    const v = this.data[field];
    if (v === undefined) return required ? this.fail(`${field} is required`) : this;
    return Number.isInteger(v) && (v as number) >= min && (v as number) <= max
      ? this
      : this.fail(`${field} must be a whole number from ${min} to ${max}`);
  }
  num(field: string, min: number, max: number): this {
    const v = this.data[field];
    if (v === undefined) return this;
    return typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max
      ? this
      : this.fail(`${field} must be a number from ${min} to ${max}`);
  }
  bool(field: string): this {
    const v = this.data[field];
    return v === undefined || typeof v === 'boolean' ? this : this.fail(`${field} must be true or false`);
  }
  oneOf(field: string, values: readonly string[], required = false): this {
    const v = this.data[field];
    if (v === undefined) return required ? this.fail(`${field} is required`) : this;
    return typeof v === 'string' && values.includes(v)
      ? this
      : this.fail(`${field} must be one of ${values.join(', ')}`);
  }
  ids(field: string, max = 200): this {
    const v = this.data[field];
    if (v === undefined) return this;
    return Array.isArray(v) &&
      v.length <= max &&
      v.every((x) => typeof x === 'string' && x.length > 0 && x.length <= 100)
      ? this
      : this.fail(`${field} must be a list of at most ${max} ids`);
  }
  rule(reason: string | null | undefined): this {
    return reason ? this.fail(reason) : this;
  }
  get result(): string | null {
    return this.problem;
  }
}

export const dataOf = (doc: Doc): Doc | null =>
  doc.data && typeof doc.data === 'object' && !Array.isArray(doc.data) ? (doc.data as Doc) : null;
