/**
 * Checks the memberships an administrator gives: a known role, the scope that role needs
 * (an existing organization, districts for contractors, a department for founders) and
 * sensible dates. Each problem is a sentence naming the membership, so a form or an import
 * row can show it as is.
 */
import { ROLES, type Membership, type OrgInfo, type Role } from '../../src/lib/domain/access';
import { DISTRICTS } from '../../src/lib/domain/schemas/region';

/** Roles held across organizations (no `org` needed). */
const UNSCOPED: readonly Role[] = ['agent', 'contractor', 'founder', 'izs', 'admin'];
export const DEPARTMENT_PATTERN = /^[a-z0-9-]{2,60}$/;
export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

const isDate = (s: string) =>
  DATE_PATTERN.test(s) &&
  !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) &&
  new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

export function membershipProblems(memberships: readonly Membership[], orgs: readonly OrgInfo[]): string[] {
  const problems: string[] = [];
  memberships.forEach((m, i) => {
    const at = `membership ${i + 1} (${m.role})`;
    if (!(ROLES as readonly string[]).includes(m.role)) {
      problems.push(`membership ${i + 1}: there is no role "${m.role}"; roles are ${ROLES.join(', ')}`);
      return;
    }
    if (m.org !== undefined) {
      const org = orgs.find((o) => o.id === m.org);
      if (!org) problems.push(`${at}: there is no organization "${m.org}"`);
      else if (org.closed) problems.push(`${at}: the organization "${m.org}" is closed`);
    } else if (!UNSCOPED.includes(m.role)) {
      problems.push(`${at}: the role needs an organization`);
    }
    if (m.role === 'contractor' && (m.districts ?? []).length === 0)
      problems.push(`${at}: a contractor needs at least one district`);
    for (const d of m.districts ?? []) {
      if (!(DISTRICTS as readonly string[]).includes(d))
        problems.push(`${at}: there is no district "${d}"; districts are ${DISTRICTS.join(', ')}`);
    }
    if (m.role === 'founder' && !(m.department && DEPARTMENT_PATTERN.test(m.department)))
      problems.push(`${at}: a founder needs a department (lowercase letters, digits, dashes)`);
    if (m.validFrom !== undefined && !isDate(m.validFrom))
      problems.push(`${at}: "valid from" must be a date YYYY-MM-DD`);
    if (m.validTo !== undefined && !isDate(m.validTo)) problems.push(`${at}: "valid to" must be a date YYYY-MM-DD`);
    if (m.validFrom && m.validTo && m.validFrom > m.validTo) problems.push(`${at}: "valid from" is after "valid to"`);
  });
  return problems;
}

/** The membership as stored: only the fields its role uses, no empty ones. */
export function cleanMembership(m: Membership): Membership {
  return {
    role: m.role,
    ...(m.org ? { org: m.org } : {}),
    ...(m.districts && m.districts.length > 0 ? { districts: [...m.districts] } : {}),
    ...(m.department ? { department: m.department } : {}),
    ...(m.validFrom ? { validFrom: m.validFrom } : {}),
    ...(m.validTo ? { validTo: m.validTo } : {})
  };
}

export const membershipJsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['role'],
  properties: {
    role: { type: 'string', minLength: 1, maxLength: 40 },
    org: { type: 'string', maxLength: 40 },
    districts: { type: 'array', maxItems: 7, items: { type: 'string', maxLength: 10 } },
    department: { type: 'string', maxLength: 60 },
    validFrom: { type: 'string', maxLength: 10 },
    validTo: { type: 'string', maxLength: 10 }
  }
} as const;
