/**
 * Separation of duties in one organization (act 320/2001 on financial control): the
 * authorizing officer (příkazce operace, our `manager`) may not also be the budget
 * administrator (správce rozpočtu, `budget`) or the chief accountant (hlavní účetní,
 * `accountant`); budget administrator and chief accountant may be one person only where the
 * organization allows it. Giving such roles is warned about, not refused: a small
 * organization may have no one else, and the approval flow refuses the same person twice.
 */
import type { Membership, Role } from '../access';

export interface SeparationWarning {
  org: string;
  roles: [Role, Role];
  code: 'authorizer_with_budget' | 'authorizer_with_accountant' | 'budget_with_accountant';
}

const PAIRS: { roles: [Role, Role]; code: SeparationWarning['code']; allowedByFlag?: boolean }[] = [
  { roles: ['manager', 'budget'], code: 'authorizer_with_budget' },
  { roles: ['manager', 'accountant'], code: 'authorizer_with_accountant' },
  { roles: ['budget', 'accountant'], code: 'budget_with_accountant', allowedByFlag: true }
];

/** Warnings for the memberships one person would hold; `allowsBudgetAccountant(org)` reads the org's flag. */
export function separationWarnings(
  memberships: readonly Membership[],
  allowsBudgetAccountant: (org: string) => boolean
): SeparationWarning[] {
  const byOrg = new Map<string, Set<Role>>();
  for (const m of memberships) {
    if (!m.org) continue;
    const roles = byOrg.get(m.org) ?? new Set<Role>();
    roles.add(m.role);
    byOrg.set(m.org, roles);
  }
  const out: SeparationWarning[] = [];
  for (const [org, roles] of byOrg) {
    for (const p of PAIRS) {
      if (!roles.has(p.roles[0]) || !roles.has(p.roles[1])) continue;
      if (p.allowedByFlag && allowsBudgetAccountant(org)) continue;
      out.push({ org, roles: p.roles, code: p.code });
    }
  }
  return out;
}
