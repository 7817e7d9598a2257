import type { Role } from '$lib/domain/access';
import { m } from '$lib/i18n';

/** A role in the words its holders use (Czech first). */
export function roleLabel(role: Role): string {
  const labels: Record<Role, () => string> = {
    requester: m.home_role_requester,
    manager: m.home_role_manager,
    clerk: m.home_role_clerk,
    budget: m.home_role_budget,
    accountant: m.home_role_accountant,
    agent: m.home_role_agent,
    contractor: m.home_role_contractor,
    founder: m.home_role_founder,
    dispatcher: m.home_role_dispatcher,
    crew: m.home_role_crew,
    izs: m.home_role_izs,
    admin: m.home_role_admin
  };
  return labels[role]();
}
