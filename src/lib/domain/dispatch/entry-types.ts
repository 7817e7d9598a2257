/**
 * The schema of each deník entry type. The collection's JSON schema (shared with RxDB) is the
 * union of all fields; this table says which of them each type must and may carry, so a
 * treatment without a section or a calamity change without its district is refused with a
 * reason, and an entry cannot smuggle fields of another type.
 */
import type { EntryType } from '../schemas/dispatch';

type Doc = Record<string, unknown>;

interface EntryShape {
  required: readonly string[];
  optional: readonly string[];
}

const COMMON = ['id', 'orgId', 'createdBy', 'createdAt', 'updatedBy', 'updatedAt', 'receivedAt', 'entry', 'district'];
const GPS = ['lat', 'lon', 'accuracy'];

export const ENTRY_SHAPES: Record<EntryType, EntryShape> = {
  report: { required: ['reportType', 'severity'], optional: ['sectionId', 'text', 'mediaId', ...GPS] },
  treatment: {
    required: ['sectionId', 'startedAt', 'method'],
    optional: ['endedAt', 'material', 'amountT', 'vehicle', 'refId', 'text', ...GPS]
  },
  confirmation: { required: ['refId'], optional: ['sectionId', 'text'] },
  assignment: { required: ['sectionId', 'crew'], optional: ['vehicle', 'refId', 'text'] },
  calamity: { required: ['calamity'], optional: ['text'] },
  position: { required: ['lat', 'lon'], optional: ['accuracy', 'vehicle'] },
  log: { required: ['text'], optional: ['sectionId', 'refId'] },
  correction: { required: ['refId', 'text'], optional: ['sectionId'] }
};

/** Which entry types each role records; the rest are the dispatcher's. */
export const CREW_ENTRY_TYPES: readonly EntryType[] = ['report', 'treatment', 'position', 'correction'];

export function checkEntryShape(doc: Doc): string | null {
  const type = doc.entry as EntryType;
  const shape = ENTRY_SHAPES[type];
  if (!shape) return `unknown entry type ${String(doc.entry)}`;
  if (doc.district === undefined) return `a ${type} entry needs its district`;
  const missing = shape.required.filter((f) => doc[f] === undefined || doc[f] === '');
  if (missing.length) return `a ${type} entry needs ${missing.join(', ')}`;
  const allowed = new Set([...COMMON, ...shape.required, ...shape.optional]);
  const extra = Object.keys(doc).filter((k) => !allowed.has(k));
  if (extra.length) return `a ${type} entry has no field ${extra.join(', ')}`;
  if ((doc.lat === undefined) !== (doc.lon === undefined)) return 'a position needs both latitude and longitude';
  if (type === 'treatment' && typeof doc.endedAt === 'string' && String(doc.endedAt) < String(doc.startedAt))
    return 'a treatment cannot end before it started';
  return null;
}
