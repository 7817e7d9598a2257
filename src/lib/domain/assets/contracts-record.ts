/**
 * The `contract` record of the asset module, fields in `data`: checked with the archive's own
 * rules (`contractProblems`: parties' IČO, dates in order, a responsible person). Agents and the
 * organization's managers write it (the role table); contractors only read the asset
 * databases, and requesters may not write it.
 */
import type { Doc } from '../write-rules';
import { contractProblems, PARTY_ROLES, type Contract } from './contracts';
import { DataCheck, dataOf, fromEnvelope } from './contracts-envelope';
import type { AssetDocType } from './doc-type';

export const CONTRACT_FIELDS = [
  'number',
  'subject',
  'parties',
  'valueExclVat',
  'signedOn',
  'effectiveFrom',
  'expiresOn',
  'noticeMonths',
  'noticeDays',
  'noticeFromNextMonth',
  'responsible',
  'assetIds',
  'licenceIds',
  'mediaId',
  'publishedOn',
  'registryId',
  'publicationExempt',
  'remindDays',
  'category',
  'note'
] as const;

function partiesProblem(v: unknown): string | null {
  if (!Array.isArray(v) || v.length > 20) return 'parties must be a list of at most 20';
  for (const p of v) {
    if (!p || typeof p !== 'object') return 'each party is a name with an optional IČO and role';
    const party = p as Doc;
    const extra = Object.keys(party).find((k) => !['name', 'ico', 'role'].includes(k));
    if (extra) return `a party has no field "${extra}"`;
    if (typeof party.name !== 'string' || party.name.length > 200) return 'a party needs a name';
    if (party.ico !== undefined && typeof party.ico !== 'string') return "a party's IČO is text";
    if (party.role !== undefined && !(PARTY_ROLES as readonly unknown[]).includes(party.role))
      return `a party's role is one of ${PARTY_ROLES.join(', ')}`;
  }
  return null;
}

export function validateContract(doc: Doc): string | null {
  const data = dataOf(doc);
  if (!data) return 'a contract keeps its fields in data';
  if (!String(doc.id).startsWith('contract:')) return "a contract's id starts with contract:";
  const shape = new DataCheck(data, CONTRACT_FIELDS)
    .text('number', { required: true, max: 60 })
    .text('subject', { required: true, max: 500 })
    .rule(partiesProblem(data.parties))
    .num('valueExclVat', 0, 1e11)
    .int('noticeMonths', 0, 120)
    .int('noticeDays', 0, 3650)
    .bool('noticeFromNextMonth')
    .text('responsible', { required: true, max: 60 })
    .ids('assetIds', 500)
    .ids('licenceIds', 100)
    .text('mediaId', { max: 100 })
    .text('registryId', { max: 40 })
    .text('publicationExempt', { max: 300 })
    .int('remindDays', 1, 365)
    .text('category', { max: 40 })
    .text('note', { max: 2000 }).result;
  if (shape) return shape;
  const [first] = contractProblems(fromEnvelope<Contract>(doc));
  return first?.reason ?? null;
}

export const contractType: AssetDocType = { type: 'contract', fields: ['data'], validate: validateContract };

/** The register-of-contracts rule as data (`contract-rule:<validFrom>` in the regional office's register). */
export function validateContractRule(doc: Doc): string | null {
  const data = dataOf(doc);
  if (!data) return 'a rule keeps its fields in data';
  const shape = new DataCheck(data, ['validFrom', 'thresholdExclVat', 'deadlineDays', 'note'])
    .day('validFrom', true)
    .num('thresholdExclVat', 0, 1e9)
    .int('deadlineDays', 1, 365, true)
    .text('note', { max: 2000 }).result;
  if (shape) return shape;
  if (typeof data.thresholdExclVat !== 'number') return 'thresholdExclVat is required';
  return doc.id === `contract-rule:${String(data.validFrom)}`
    ? null
    : `the rule's id must be contract-rule:${String(data.validFrom)}`;
}

export const contractRuleType: AssetDocType = {
  type: 'contract_rule',
  fields: ['data'],
  validate: validateContractRule,
  checkRole: (role) =>
    role === 'agent' || role === 'admin' ? null : 'the register rule is kept by the central IT department'
};
