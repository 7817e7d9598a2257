/** Small factories for the portal's tests. */
import type { ApprovalDoc, Decision } from './approval';
import { ACT_231_2025, ACT_320_2001, type RuleSet } from './rule-sets';

export const RULES: RuleSet[] = [
  { id: 'rules-320', name: 'Zákon 320/2001 Sb.', effectiveFrom: '2001-01-01', ...ACT_320_2001 },
  { id: 'rules-231', name: 'Zákon 231/2025 Sb.', effectiveFrom: '2027-01-01', ...ACT_231_2025 }
];

export function doc(over: Partial<ApprovalDoc> = {}): ApprovalDoc {
  return {
    id: 'apv-1',
    type: 'invoice',
    registeredOn: '2026-11-30',
    registrar: 'referent',
    round: 1,
    amount: 1000,
    currency: 'CZK',
    ...over
  };
}

let n = 0;
export function decision(over: Partial<Decision> & Pick<Decision, 'step' | 'createdBy'>): Decision {
  n++;
  const role = { prikazce: 'manager', spravce: 'budget', ucetni: 'accountant' }[over.step];
  return {
    id: `apv-1:dec:${String(n).padStart(4, '0')}`,
    parentId: 'apv-1',
    round: 1,
    verdict: 'approve',
    role,
    decidedAt: '2026-11-30T10:00:00.000Z',
    fundsConfirmed: over.step === 'spravce' ? true : undefined,
    ...over
  };
}
