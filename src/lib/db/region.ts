/**
 * Region reference data as ONE local collection. Open-source RxDB caps the collections open
 * at once (see `collection-budget.ts`), so the six `region_*` databases (organizations,
 * people, catalog, road sections, alerts, IZS handovers) feed a single `region` collection.
 *
 * Guarantees: every local document carries `regionKind` (the region database it comes from,
 * e.g. `orgs` for `region_orgs`), so a local edit is pushed back to that database and no
 * other; its local primary key `key` is `<kind>|<id>`, so the same id in two databases never
 * collides, while `id` stays the server's document id, the one the screens show and link.
 * `regionKind` and `key` exist only on the device: they are added when a document is pulled
 * and removed before it is pushed (the server validates with each database's own schema).
 */
import type { MangoQuerySelector, RxCollection, RxDocument, RxJsonSchema, RxQuery } from 'rxdb';
import type { Observable } from 'rxjs';
import { isContractId } from '../domain/assets/contracts-db';
import { parseDbName, regionDb, REGION_COLLECTIONS, type RegionCollection } from '../domain/databases';
import { REGION_SCHEMAS, type CollectionSchema, type JsonSchema } from '../domain/schemas';
import { fromCouch, toCouch, type CouchDoc, type DocState } from './couch-doc';
import { INBOX_OBJECT, ticketCouch } from './ticket-inbox';
import { DECIDED_FIELD, dispatchCouch } from './dispatch-time';
import { REGION_COLLECTION } from './db-feeds';

export { REGION_COLLECTION };
export const REGION_KIND_FIELD = 'regionKind';
export type RegionKind = RegionCollection;
export const REGION_KINDS = REGION_COLLECTIONS;

const SEPARATOR = '|';
/** Local primary key of a region document. */
export const regionKey = (kind: RegionKind, id: string) => `${kind}${SEPARATOR}${id}`;

/**
 * How a collection's local documents map to the documents of its CouchDB databases:
 * identity for organization collections, kind and key added / removed for `region`.
 */
export interface DocCodec {
  /** Local primary key (what RxDB, the pending marks and the refused store are keyed by). */
  keyOf(state: Record<string, unknown>): string;
  fromCouch(db: string, doc: CouchDoc): DocState;
  toCouch(state: DocState, rev: string | undefined): CouchDoc;
  /** Fields the device adds (ignored when telling whether a pulled deletion is bare). */
  localFields: readonly string[];
  /** Whether a pulled document of `db` belongs on the device (none: all do). */
  accepts?(db: string, doc: CouchDoc): boolean;
}

export const plainCodec: DocCodec = {
  keyOf: (s) => String(s.id),
  fromCouch: (_db, doc) => fromCouch(doc),
  toCouch,
  localFields: []
};

export const regionCodec: DocCodec = {
  keyOf: (s) => regionKey(s[REGION_KIND_FIELD] as RegionKind, String(s.id)),
  fromCouch(db, doc) {
    const ref = parseDbName(db);
    if (ref?.kind !== 'region') throw new Error(`not a region database: ${db}`);
    const state = fromCouch(doc);
    return { ...state, [REGION_KIND_FIELD]: ref.collection, key: regionKey(ref.collection, state.id) };
  },
  toCouch(state, rev) {
    const { key: _key, [REGION_KIND_FIELD]: _kind, ...rest } = state;
    return toCouch(rest as DocState, rev);
  },
  localFields: ['key', REGION_KIND_FIELD]
};

/** Tickets: the device's `inbox` object (`ticket-inbox.ts`). */
export const ticketCodec: DocCodec = {
  keyOf: (s) => String(s.id),
  fromCouch: (_db, doc) => ticketCouch.fromCouch(doc),
  toCouch: ticketCouch.toCouch,
  localFields: [INBOX_OBJECT]
};

/** Deník entries: the device's indexed `decidedAt` (`dispatch-time.ts`). */
export const dispatchCodec: DocCodec = {
  keyOf: (s) => String(s.id),
  fromCouch: (_db, doc) => dispatchCouch.fromCouch(doc),
  toCouch: dispatchCouch.toCouch,
  localFields: [DECIDED_FIELD]
};

/**
 * The asset collection takes contracts only from the contract archive: a contract's copy in the
 * register (before the server moved it) and the deletion the move left there are skipped, or a
 * device reading both would drop the contract when that deletion arrived after the archive's copy.
 */
export const assetsCodec: DocCodec = {
  ...plainCodec,
  accepts: (db, doc) => !(parseDbName(db)?.collection === 'assets' && isContractId(doc._id))
};

export function codecFor(collection: string): DocCodec {
  if (collection === REGION_COLLECTION) return regionCodec;
  if (collection === 'tickets') return ticketCodec;
  if (collection === 'dispatch') return dispatchCodec;
  return collection === 'assets' ? assetsCodec : plainCodec;
}

/** The region database a local region document belongs to. */
export function regionDbOf(state: Record<string, unknown>): string | null {
  const kind = state[REGION_KIND_FIELD];
  return (REGION_KINDS as readonly unknown[]).includes(kind) ? regionDb(kind as RegionKind) : null;
}

/**
 * Every screen query selects one kind, so the kind (then id, the screens' order) is the index.
 * Dexie indexes required fields only, and `kind` or `district` exist in some kinds only: the
 * rest of a selector is filtered in memory, over a few hundred documents of one kind at most.
 */
const REGION_INDEXES = [[REGION_KIND_FIELD, 'id']];

/**
 * One field definition for a field that several kinds define differently (`kind` of an
 * organization vs. of a catalog entry, `title` of a person vs. of an alert): the same type,
 * the longest length, no enum or pattern. The exact rules stay with the server, which
 * validates every written document against its own database's schema.
 */
function widen(a: JsonSchema, b: JsonSchema): JsonSchema {
  if (JSON.stringify(a) === JSON.stringify(b)) return a;
  if (a.type !== b.type) throw new Error(`region field types differ: ${JSON.stringify(a)} / ${JSON.stringify(b)}`);
  const lengthOf = (s: JsonSchema) =>
    typeof s.maxLength === 'number'
      ? s.maxLength
      : Array.isArray(s.enum)
        ? Math.max(...(s.enum as string[]).map((v) => v.length))
        : undefined;
  const la = lengthOf(a);
  const lb = lengthOf(b);
  const out: JsonSchema = { type: a.type };
  if (la !== undefined && lb !== undefined) out.maxLength = Math.max(la, lb);
  if (a.type === 'array') out.items = {};
  return out;
}

/** 1: SLA calendar fields in the catalog. 2: an organization's dated finance flags (`financeHistory`). */
export const REGION_SCHEMA_VERSION = 3;

export function regionRxSchema(schemas: Record<RegionKind, CollectionSchema> = REGION_SCHEMAS): RxJsonSchema<DocState> {
  const properties: Record<string, JsonSchema> = {
    key: { type: 'string', maxLength: 120 },
    [REGION_KIND_FIELD]: { type: 'string', enum: [...REGION_KINDS], maxLength: 10 }
  };
  const requiredEverywhere = new Set<string>(Object.values(schemas)[0].required);
  for (const schema of Object.values(schemas)) {
    for (const [name, def] of Object.entries(schema.properties)) {
      properties[name] = name in properties ? widen(properties[name], def) : structuredClone(def);
    }
    for (const r of [...requiredEverywhere]) if (!schema.required.includes(r)) requiredEverywhere.delete(r);
  }
  return {
    title: 'region reference data',
    // Bumped with every change of a region schema (a step in schema-migrations.ts each).
    version: REGION_SCHEMA_VERSION,
    primaryKey: { key: 'key', fields: [REGION_KIND_FIELD, 'id'], separator: SEPARATOR },
    type: 'object',
    properties,
    required: ['key', REGION_KIND_FIELD, ...requiredEverywhere],
    indexes: REGION_INDEXES
  } as unknown as RxJsonSchema<DocState>;
}

/* ---------- typed access for the screens ---------- */

interface RegionBase {
  id: string;
  regionKind: RegionKind;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
}
export interface OrgDoc extends RegionBase {
  name: string;
  shortName: string;
  kind: string;
  district: string;
  founder?: string;
  address?: string;
  lat?: number;
  lon?: number;
  allowBudgetAccountantSamePerson?: boolean;
}
export interface PersonDoc extends RegionBase {
  name: string;
  orgId?: string;
  email?: string;
  phone?: string;
  title?: string;
  desk?: boolean;
}
export interface CatalogDoc extends RegionBase {
  kind: 'category' | 'sla' | 'contractor' | 'calendar';
  name: string;
  nameEn?: string;
  price?: number;
  onSite?: boolean;
  priority?: 'P1' | 'P2' | 'P3' | 'P4';
  responseMinutes?: number;
  resolutionMinutes?: number;
  calendar?: 'business' | '24x7';
  penalty?: number;
  userId?: string;
  districts?: string[];
}
export interface SectionDoc extends RegionBase {
  name: string;
  road: string;
  district: string;
  order: 'I' | 'II' | 'III';
  lengthKm?: number;
  path: [number, number][];
  lastTreatedAt?: string;
}
export interface AlertDoc extends RegionBase {
  district: string;
  title: string;
  text?: string;
  severity: number;
  expiresAt?: string;
}
export interface IzsDoc extends RegionBase {
  entry: 'handoff' | 'receipt';
  handoffId?: string;
  units?: ('fire' | 'police' | 'ambulance')[];
  title?: string;
  text?: string;
  lat?: number;
  lon?: number;
}
export interface RegionDocs {
  orgs: OrgDoc;
  people: PersonDoc;
  catalog: CatalogDoc;
  sections: SectionDoc;
  alerts: AlertDoc;
  izs: IzsDoc;
}

/** Anything holding the data layer's collections (an `AppDb`, or the core in tests). */
export interface HasRegion {
  collections: { region: RxCollection };
}

/** Documents of one kind of region data matching `selector` (a live query: `.$` or `.exec()`). */
export function regionQuery<K extends RegionKind>(
  db: HasRegion,
  kind: K,
  selector: MangoQuerySelector<RegionDocs[K]> = {}
): RxQuery<RegionDocs[K], RxDocument<RegionDocs[K]>[]> {
  const collection = db.collections.region as unknown as RxCollection<RegionDocs[K]>;
  return collection.find({
    selector: { ...selector, [REGION_KIND_FIELD]: kind } as MangoQuerySelector<RegionDocs[K]>,
    sort: [{ id: 'asc' } as never]
  });
}

/** Every document of one kind, as it changes. */
export function regionDocs<K extends RegionKind>(
  db: HasRegion,
  kind: K,
  selector: MangoQuerySelector<RegionDocs[K]> = {}
): Observable<RxDocument<RegionDocs[K]>[]> {
  return regionQuery(db, kind, selector).$;
}
