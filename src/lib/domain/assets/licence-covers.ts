/**
 * Region-wide licence agreements, as the organizations they cover see them. Such an agreement
 * lives in the regional office's register (`org_ku_assets`), which an organization's manager
 * does not read (it is the office's whole register). So the server keeps in each covered
 * organization's register a read-only copy, a `licence_cover` record (`cover:<organization>:<agreement id>`,
 * `refId` the agreement, its fields in `data` plus `agreementOrg`), written and removed by the
 * server only (`sync-server/contracts/licence-covers.ts`) as agreements change. The manager's
 * device then knows the agreement its seats draw on, offline too; the seats themselves were
 * always in the organization's own register.
 */
import type { Role } from '../access';
import type { Doc } from '../write-rules';
import { DataCheck, dataOf } from './contracts-envelope';
import type { AssetDocType } from './doc-type';
import { agreementCovers, type LicenceAgreement } from './licences';

export const COVER_TYPE = 'licence_cover';
/**
 * The copy's id names the organization holding it: a person who reads several registers keeps
 * every copy on one device, whose store is keyed by id alone (one id in two registers would be
 * one document there, and the removal of one organization's copy would take the other's).
 */
export const coverId = (agreementId: string, orgId: string) => `cover:${orgId}:${agreementId}`;
const agreementIdOf = (id: string, orgId: string) => id.slice(coverId('', orgId).length);
/** Who the server writes copies as (the audit fields of a copy are the agreement's own). */
const COPY_FIELDS = [
  'product',
  'vendor',
  'metric',
  'seats',
  'validFrom',
  'validTo',
  'hardLimit',
  'scope',
  'members',
  'contractId',
  'note'
] as const;

/** Whether an envelope document is a region-wide agreement. */
export function isRegionAgreement(doc: Doc): boolean {
  return doc.type === 'licence' && !doc._deleted && (dataOf(doc) ?? {}).scope === 'region';
}

/** The copy of a region-wide agreement (envelope document, without `_rev`) for one organization. */
export function coverOf(agreement: Doc, orgId: string): Doc {
  const source = dataOf(agreement) ?? {};
  const data: Doc = { agreementOrg: String(agreement.orgId) };
  for (const k of COPY_FIELDS) if (source[k] !== undefined) data[k] = source[k];
  return {
    id: coverId(String(agreement.id), orgId),
    orgId,
    type: COVER_TYPE,
    key: String(source.product ?? '').slice(0, 60),
    refId: String(agreement.id),
    state: '',
    day: typeof source.validTo === 'string' ? source.validTo : '',
    data,
    createdBy: agreement.createdBy,
    createdAt: agreement.createdAt,
    updatedBy: agreement.updatedBy,
    updatedAt: agreement.updatedAt
  };
}

/** What the server writes into one organization's register: copies to store (new or changed) and to remove. */
export function planCovers(
  agreements: readonly Doc[],
  orgId: string,
  existing: readonly Doc[]
): { write: Doc[]; remove: Doc[] } {
  const wanted = new Map(
    agreements
      .filter((a) => isRegionAgreement(a) && a.orgId !== orgId)
      .filter((a) => agreementCovers(flatAgreement(a), orgId))
      .map((a) => [coverId(String(a.id), orgId), coverOf(a, orgId)])
  );
  const have = new Map(existing.map((d) => [String(d.id), d]));
  const write = [...wanted.values()].filter((w) => {
    const h = have.get(String(w.id));
    return !h || !sameContent(h, w);
  });
  const remove = [...have.values()].filter((h) => !wanted.has(String(h.id)));
  return { write, remove };
}

const CONTENT = ['orgId', 'type', 'key', 'refId', 'state', 'day', 'data', 'updatedAt', 'updatedBy'] as const;
function sameContent(a: Doc, b: Doc): boolean {
  return CONTENT.every((k) => JSON.stringify(a[k] ?? null) === JSON.stringify(b[k] ?? null));
}

function flatAgreement(doc: Doc): LicenceAgreement {
  return { ...(dataOf(doc) ?? {}), id: String(doc.id), orgId: String(doc.orgId), type: 'licence' } as LicenceAgreement;
}

/** A copy as the screens read records (`fromEnvelope`: `data` spread over id, organization, type). */
export type CoverRecord = Record<string, unknown> & { id: string; orgId: string; agreementOrg: string };

/** The agreement a copy stands for, as the compliance view reads agreements. */
export function agreementOfCover(cover: CoverRecord): LicenceAgreement {
  const { agreementOrg, id, orgId: holder, type: _type, ...data } = cover;
  return { ...data, id: agreementIdOf(id, holder), orgId: agreementOrg, type: 'licence' } as LicenceAgreement;
}

/**
 * Agreements for the screens: the device's own agreements, and the copies of region-wide ones it
 * holds only as copies (an agent reads the office's register and has the original). `readOnly`
 * names, by `<org>/<id>`, the agreements shown from a copy.
 */
export function withCovers(
  agreements: readonly LicenceAgreement[],
  covers: readonly CoverRecord[]
): { list: LicenceAgreement[]; readOnly: Set<string> } {
  const held = new Set(agreements.map((a) => `${a.orgId}/${a.id}`));
  const list = [...agreements];
  const readOnly = new Set<string>();
  for (const c of covers) {
    const a = agreementOfCover(c);
    const k = `${a.orgId}/${a.id}`;
    if (held.has(k)) continue;
    held.add(k);
    readOnly.add(k);
    list.push(a);
  }
  return { list, readOnly };
}

export function validateCover(doc: Doc): string | null {
  const data = dataOf(doc);
  if (!data) return 'a copy of an agreement keeps its fields in data';
  const id = coverId(String(doc.refId), String(doc.orgId));
  if (doc.id !== id) return `the copy's id must be ${id}`;
  return new DataCheck(data, ['agreementOrg', ...COPY_FIELDS])
    .text('agreementOrg', { required: true, max: 40 })
    .text('product', { required: true })
    .text('vendor', { required: true })
    .int('seats', 1, 1_000_000, true)
    .day('validFrom', true)
    .day('validTo').result;
}

export const licenceCoverType: AssetDocType = {
  type: COVER_TYPE,
  fields: ['data'],
  validate: validateCover,
  // The server writes copies straight into the store; through the gateway nobody does.
  checkRole: (_role: Role) =>
    'this is a copy of a region-wide agreement, kept by the server; change the agreement in the regional office’s register'
};
