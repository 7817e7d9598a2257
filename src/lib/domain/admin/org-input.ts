/**
 * What an administrator may enter for an organization, checked the same way in the form
 * (inline, as they type) and on the server (the word that counts). Each problem names its
 * field and a stable code, so the screen can say it in the person's language and the API
 * can say it in a sentence.
 */
import { ORG_ID_PATTERN } from '../databases';
import { DISTRICTS, type District } from '../schemas/region';
import { parseIco } from './ico';

export const ORG_KINDS = ['office', 'school', 'roads', 'health', 'social', 'culture', 'purchasing', 'other'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];
export const SITE_ID_PATTERN = /^[a-z0-9-]{1,40}$/;
export const FOUNDER_PATTERN = /^[a-z0-9-]{2,60}$/;

export interface OrgSite {
  id: string;
  name: string;
  address?: string;
}

export interface OrgInput {
  id: string;
  name: string;
  shortName: string;
  ico: string;
  kind: OrgKind;
  district: District;
  founder?: string;
  address?: string;
  sites?: OrgSite[];
  allowBudgetAccountantSamePerson?: boolean;
  /** Invoices also pass the správce rozpočtu's step (the portal's rule sets read it). */
  invoicesNeedBudget?: boolean;
}

export type OrgField = keyof OrgInput;
export type OrgProblemCode =
  | 'required'
  | 'too_short'
  | 'pattern'
  | 'too_long'
  | 'ico_format'
  | 'ico_checksum'
  | 'unknown_value'
  | 'duplicate'
  | 'taken';

export interface OrgProblem {
  field: OrgField;
  code: OrgProblemCode;
  reason: string;
}

const trimmed = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** Normalizes and checks the entered fields; `taken` tells whether an id is in use already. */
export function validateOrgInput(
  raw: Record<string, unknown>,
  taken: (id: string) => boolean = () => false
): { org: OrgInput } | { problems: OrgProblem[] } {
  const problems: OrgProblem[] = [];
  const add = (field: OrgField, code: OrgProblemCode, reason: string) => problems.push({ field, code, reason });

  const id = trimmed(raw.id).toLowerCase();
  if (!id) add('id', 'required', 'the id is required');
  else if (!ORG_ID_PATTERN.test(id)) add('id', 'pattern', 'the id must be 2–40 lowercase letters, digits or dashes');
  else if (taken(id)) add('id', 'taken', `the id "${id}" is taken by another organization`);

  const name = trimmed(raw.name);
  if (!name) add('name', 'required', 'the name is required');
  else if (name.length < 2) add('name', 'too_short', 'the name needs at least 2 characters');
  else if (name.length > 200) add('name', 'too_long', 'the name may have at most 200 characters');
  const shortName = trimmed(raw.shortName);
  if (!shortName) add('shortName', 'required', 'the short name is required');
  else if (shortName.length > 60) add('shortName', 'too_long', 'the short name may have at most 60 characters');

  const icoIn = trimmed(raw.ico);
  const ico = parseIco(icoIn);
  if (!icoIn) add('ico', 'required', 'the IČO is required');
  else if ('problem' in ico)
    add(
      'ico',
      ico.problem === 'format' ? 'ico_format' : 'ico_checksum',
      ico.problem === 'format' ? 'the IČO must have 8 digits' : `the IČO ${icoIn} has a wrong check digit`
    );

  const kind = trimmed(raw.kind) as OrgKind;
  if (!(ORG_KINDS as readonly string[]).includes(kind))
    add('kind', 'unknown_value', `the kind must be one of ${ORG_KINDS.join(', ')}`);
  const district = trimmed(raw.district).toUpperCase() as District;
  if (!(DISTRICTS as readonly string[]).includes(district))
    add('district', 'unknown_value', `the district must be one of ${DISTRICTS.join(', ')}`);

  const founder = trimmed(raw.founder).toLowerCase();
  if (founder && !FOUNDER_PATTERN.test(founder))
    add('founder', 'pattern', 'the founding department is 2–60 lowercase letters, digits or dashes');
  const address = trimmed(raw.address);
  if (address.length > 300) add('address', 'too_long', 'the address may have at most 300 characters');

  const sites: OrgSite[] = [];
  const rawSites = Array.isArray(raw.sites) ? (raw.sites as Record<string, unknown>[]) : [];
  const seen = new Set<string>();
  for (const [i, s] of rawSites.entries()) {
    const sid = trimmed(s?.id).toLowerCase();
    const sname = trimmed(s?.name);
    const saddress = trimmed(s?.address);
    if (!SITE_ID_PATTERN.test(sid))
      add('sites', 'pattern', `site ${i + 1}: the id must be lowercase letters, digits or dashes`);
    else if (seen.has(sid)) add('sites', 'duplicate', `site ${i + 1}: the id "${sid}" is used twice`);
    if (!sname) add('sites', 'required', `site ${i + 1}: the name is required`);
    else if (sname.length > 200 || saddress.length > 300)
      add('sites', 'too_long', `site ${i + 1}: name or address too long`);
    seen.add(sid);
    sites.push({ id: sid, name: sname, ...(saddress ? { address: saddress } : {}) });
  }
  if (rawSites.length > 200) add('sites', 'too_long', 'at most 200 sites');

  if (problems.length > 0) return { problems };
  return {
    org: {
      id,
      name,
      shortName,
      ico: (ico as { ico: string }).ico,
      kind,
      district,
      ...(founder ? { founder } : {}),
      ...(address ? { address } : {}),
      sites,
      allowBudgetAccountantSamePerson: raw.allowBudgetAccountantSamePerson === true,
      invoicesNeedBudget: raw.invoicesNeedBudget === true
    }
  };
}
