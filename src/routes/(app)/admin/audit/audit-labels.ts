/**
 * Words for the audit log's stable codes (`org.create`, `region.people.edit`, `user:reditel.gymkt`):
 * the server records codes, so that a search and the CSV export stay the same in every language;
 * the screen says them in the reader's. A code this table does not know (a newer server's) is
 * shown as it is rather than hidden.
 */
// The messages alone (not $lib/i18n, whose locale state is a Svelte module): unit-testable in Node.
import { m } from '$lib/paraglide/messages';

type Say = () => string;

const ACTIONS: Record<string, Say> = {
  signin: m.audit_act_signin,
  'signin.failed': m.audit_act_signin_failed,
  'signin.throttled': m.audit_act_signin_throttled,
  'password.change': m.audit_act_password_change,
  'password.change.failed': m.audit_act_password_change_failed,
  'password.code.used': m.audit_act_password_code_used,
  'password.code.failed': m.audit_act_password_code_failed,
  'user.create': m.audit_act_user_create,
  'user.edit': m.audit_act_user_edit,
  'user.import': m.audit_act_user_import,
  'user.deactivate': m.audit_act_user_deactivate,
  'user.activate': m.audit_act_user_activate,
  'user.reset': m.audit_act_user_reset,
  'org.create': m.audit_act_org_create,
  'org.edit': m.audit_act_org_edit,
  'org.import': m.audit_act_org_import,
  'org.close': m.audit_act_org_close,
  'org.reopen': m.audit_act_org_reopen,
  'section.create': m.audit_act_section_create,
  'section.edit': m.audit_act_section_edit
};

const VERBS: Record<string, Say> = {
  create: m.audit_verb_create,
  edit: m.audit_verb_edit,
  delete: m.audit_verb_delete
};

/** Catalog entry kinds (`catalog.<kind>.<verb>`) and region collections (`region.<kind>.<verb>`). */
const KINDS: Record<string, Say> = {
  category: m.audit_kind_category,
  price: m.audit_kind_price,
  sla: m.audit_kind_sla,
  calendar: m.audit_kind_calendar,
  rules: m.audit_kind_rules,
  contractor: m.audit_kind_contractor,
  orgs: m.audit_kind_orgs,
  people: m.audit_kind_people,
  catalog: m.audit_kind_catalog,
  sections: m.audit_kind_sections,
  alerts: m.audit_kind_alerts,
  izs: m.audit_kind_izs
};

/** The filter's groups: an action matches a group by its code's first parts. */
export const AUDIT_GROUPS: { value: string; label: Say }[] = [
  { value: 'signin', label: m.audit_filter_signin },
  { value: 'signin.failed', label: m.audit_filter_signin_failed },
  { value: 'password', label: m.audit_filter_password },
  { value: 'user', label: m.audit_filter_user },
  { value: 'org', label: m.audit_filter_org },
  { value: 'catalog', label: m.audit_filter_catalog },
  { value: 'section', label: m.audit_filter_section },
  // Changes of region data written through sync (the gateway), not through these screens.
  { value: 'region', label: m.audit_filter_region }
];

export function auditActionLabel(code: string): string {
  const known = ACTIONS[code];
  if (known) return known();
  const [area, kind, verb, ...rest] = code.split('.');
  if ((area === 'catalog' || area === 'region') && rest.length === 0 && KINDS[kind] && VERBS[verb]) {
    const args = { kind: KINDS[kind](), verb: VERBS[verb]() };
    return area === 'catalog' ? m.audit_act_catalog(args) : m.audit_act_region(args);
  }
  return code;
}

export function auditTargetLabel(target: string | undefined): string {
  if (!target) return '';
  if (target === 'users') return m.audit_target_users();
  if (target === 'orgs') return m.audit_target_orgs();
  const at = target.indexOf(':');
  if (at < 0) return target;
  const kind = target.slice(0, at);
  const id = target.slice(at + 1);
  switch (kind) {
    case 'user':
      return m.audit_target_user({ id });
    case 'org':
      return m.audit_target_org({ id });
    case 'catalog':
      return m.audit_target_catalog({ id });
    case 'section':
      return m.audit_target_section({ id });
    default:
      return KINDS[kind] ? m.audit_target_other({ kind: KINDS[kind](), id }) : target;
  }
}
