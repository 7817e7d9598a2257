/** Small checks the type validators share; each returns null or a sentence naming the field. */
import type { Doc } from '../write-rules';

export function requireText(doc: Doc, field: string, label = field): string | null {
  const v = doc[field];
  return typeof v === 'string' && v.trim() !== '' ? null : `${label} is required`;
}

export function oneOf(doc: Doc, field: string, values: readonly string[], label = field): string | null {
  const v = doc[field];
  return typeof v === 'string' && values.includes(v) ? null : `${label} must be one of ${values.join(', ')}`;
}

/** `YYYY-MM-DD` that is a real calendar day. */
export function isDay(v: unknown): v is string {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

export function optionalDay(doc: Doc, field: string, label = field): string | null {
  const v = doc[field];
  return v === undefined || isDay(v) ? null : `${label} must be a date (YYYY-MM-DD)`;
}
