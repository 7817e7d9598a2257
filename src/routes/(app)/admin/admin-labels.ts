/** Words for the administration's codes: roles, kinds of organization, districts, problems. */
import type { Role } from '$lib/domain/access';
import type { OrgKind, OrgProblem } from '$lib/domain/admin/org-input';
import type { SeparationWarning } from '$lib/domain/admin/separation';
import { m } from '$lib/i18n';

export function roleLabel(role: Role | string): string {
  const labels: Record<string, () => string> = {
    requester: m.admin_role_requester,
    manager: m.admin_role_manager,
    clerk: m.admin_role_clerk,
    budget: m.admin_role_budget,
    accountant: m.admin_role_accountant,
    agent: m.admin_role_agent,
    contractor: m.admin_role_contractor,
    founder: m.admin_role_founder,
    dispatcher: m.admin_role_dispatcher,
    crew: m.admin_role_crew,
    izs: m.admin_role_izs,
    admin: m.admin_role_admin
  };
  return labels[role]?.() ?? role;
}

export function kindLabel(kind: OrgKind | string | undefined): string {
  const labels: Record<string, () => string> = {
    office: m.admin_kind_office,
    school: m.admin_kind_school,
    roads: m.admin_kind_roads,
    health: m.admin_kind_health,
    social: m.admin_kind_social,
    culture: m.admin_kind_culture,
    purchasing: m.admin_kind_purchasing,
    other: m.admin_kind_other
  };
  return (kind && labels[kind]?.()) || (kind ?? '');
}

export function districtName(code: string): string {
  const labels: Record<string, () => string> = {
    PM: m.reports_district_PM,
    PS: m.reports_district_PS,
    PJ: m.reports_district_PJ,
    KT: m.reports_district_KT,
    DO: m.reports_district_DO,
    TC: m.reports_district_TC,
    RO: m.reports_district_RO
  };
  return labels[code]?.() ?? code;
}

export function orgProblemText(p: OrgProblem): string {
  switch (p.code) {
    case 'required':
      return m.admin_problem_required();
    case 'pattern':
      return p.field === 'id' ? m.admin_problem_id_pattern() : m.admin_problem_pattern();
    case 'too_short':
      return m.admin_problem_too_short();
    case 'too_long':
      return m.admin_problem_too_long();
    case 'ico_format':
      return m.admin_problem_ico_format();
    case 'ico_checksum':
      return m.admin_problem_ico_checksum();
    case 'unknown_value':
      return m.admin_problem_unknown_value();
    case 'duplicate':
      return m.admin_problem_duplicate();
    case 'taken':
      return m.admin_problem_taken();
  }
}

export function separationText(w: SeparationWarning, orgName: string): string {
  switch (w.code) {
    case 'authorizer_with_budget':
      return m.admin_sod_authorizer_budget({ org: orgName });
    case 'authorizer_with_accountant':
      return m.admin_sod_authorizer_accountant({ org: orgName });
    case 'budget_with_accountant':
      return m.admin_sod_budget_accountant({ org: orgName });
  }
}
