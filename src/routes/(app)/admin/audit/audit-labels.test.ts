import { describe, expect, it } from 'vitest';
import { auditActionLabel, auditTargetLabel, AUDIT_GROUPS } from './audit-labels';

/** Every action code the server records (`sync-server/admin/`, `region-audit.ts`). */
const RECORDED = [
  'signin',
  'signin.failed',
  'signin.throttled',
  'password.change',
  'password.change.failed',
  'password.code.used',
  'password.code.failed',
  'user.create',
  'user.edit',
  'user.import',
  'user.deactivate',
  'user.activate',
  'user.reset',
  'org.create',
  'org.edit',
  'org.import',
  'org.close',
  'org.reopen',
  'section.create',
  'section.edit',
  ...['category', 'price', 'sla', 'calendar', 'rules', 'contractor'].flatMap((k) => [
    `catalog.${k}.create`,
    `catalog.${k}.edit`
  ]),
  ...['orgs', 'people', 'catalog', 'sections', 'alerts', 'izs'].flatMap((k) =>
    ['create', 'edit', 'delete'].map((v) => `region.${k}.${v}`)
  )
];

describe('the audit log in words', () => {
  it('says every recorded action in words, each differently', () => {
    const said = RECORDED.map(auditActionLabel);
    for (const [i, code] of RECORDED.entries()) expect(said[i], code).not.toBe(code);
    expect(new Set(said).size).toBe(RECORDED.length);
    expect(auditActionLabel('region.people.edit')).toBe('Data kraje ze synchronizace – adresář lidí: úprava');
  });

  it('shows an unknown code as it is', () => {
    expect(auditActionLabel('stocktake.close')).toBe('stocktake.close');
    expect(auditActionLabel('region.people.edit.more')).toBe('region.people.edit.more');
  });

  it('names what an entry is about', () => {
    expect(auditTargetLabel('user:reditel.gymkt')).toBe('Uživatel reditel.gymkt');
    expect(auditTargetLabel('org:gym-kt')).toBe('Organizace gym-kt');
    expect(auditTargetLabel('people:helpdesk')).toBe('adresář lidí: helpdesk');
    expect(auditTargetLabel('users')).toBe('Uživatelé');
    expect(auditTargetLabel('something-else')).toBe('something-else');
    expect(auditTargetLabel(undefined)).toBe('');
  });

  it('offers the filter groups in words', () => {
    expect(AUDIT_GROUPS.map((g) => g.label())).not.toContain('signin');
  });
});
