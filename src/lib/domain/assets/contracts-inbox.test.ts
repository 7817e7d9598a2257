import { describe, expect, it } from 'vitest';
import { DEFAULT_PUBLICATION_RULE, type Contract } from './contracts';
import { contractInboxItems, contractOfItem } from './contracts-inbox';

const now = new Date('2026-11-30T09:00:00Z');
const contract = (over: Partial<Contract>): Contract => ({
  id: 'contract:gym-kt:1',
  orgId: 'gym-kt',
  type: 'contract',
  number: 'S-1',
  subject: 'Servis tiskáren',
  parties: [{ name: 'X' }],
  valueExclVat: 40_000,
  signedOn: '2026-01-01',
  responsible: 'reditel.gymkt',
  ...over
});

describe('contracts in the inbox', () => {
  const items = contractInboxItems(
    [
      contract({ expiresOn: '2026-12-20', noticeDays: 10 }),
      contract({ id: 'contract:gym-kt:2', number: 'S-2', valueExclVat: 540_000, signedOn: '2026-11-18' }),
      contract({ id: 'contract:gym-kt:3', expiresOn: '2027-12-31' }),
      contract({ id: 'contract:gym-kt:4', responsible: 'someone.else', expiresOn: '2026-12-01' })
    ],
    { userId: 'reditel.gymkt', now, rules: [DEFAULT_PUBLICATION_RULE] }
  );

  it('lists expiry, notice deadline and publication for the responsible person only', () => {
    expect(items.map((i) => [i.id, i.why, i.due])).toEqual([
      ['contract:gym-kt:1|contract-notice', 'contract-notice', '2026-12-10'],
      ['contract:gym-kt:2|contract-publish', 'contract-publish', '2026-12-18'],
      ['contract:gym-kt:1|contract-expiry', 'contract-expiry', '2026-12-20']
    ]);
    expect(items.every((i) => i.source === 'contracts' && i.kind === 'contract')).toBe(true);
  });

  it('marks how soon, from the inbox’s lead times for contracts', () => {
    expect(items[0]).toMatchObject({ urgency: 'soon', daysLeft: 10, remindDays: 30 });
  });

  it('leads to the contract', () => expect(contractOfItem(items[0])).toBe('contract:gym-kt:1'));

  it('keeps a contract whose reminder lead is not reached out of the inbox', () => {
    const far = contractInboxItems([contract({ expiresOn: '2027-06-30', remindDays: 14 })], {
      userId: 'reditel.gymkt',
      now,
      rules: [DEFAULT_PUBLICATION_RULE]
    });
    expect(far).toEqual([]);
  });
});
