import { describe, expect, it } from 'vitest';
import type { Membership } from '../access';
import { separationWarnings } from './separation';

const allows = (org: string) => org === 'gym-kt';

describe('separation of duties', () => {
  it.each<[string, Membership[], string[]]>([
    ['manager alone', [{ role: 'manager', org: 'sos-do' }], []],
    [
      'manager and budget',
      [
        { role: 'manager', org: 'sos-do' },
        { role: 'budget', org: 'sos-do' }
      ],
      ['authorizer_with_budget']
    ],
    [
      'manager and accountant',
      [
        { role: 'manager', org: 'sos-do' },
        { role: 'accountant', org: 'sos-do' }
      ],
      ['authorizer_with_accountant']
    ],
    [
      'budget and accountant, not allowed',
      [
        { role: 'budget', org: 'sos-do' },
        { role: 'accountant', org: 'sos-do' }
      ],
      ['budget_with_accountant']
    ],
    [
      'budget and accountant, allowed by the org',
      [
        { role: 'budget', org: 'gym-kt' },
        { role: 'accountant', org: 'gym-kt' }
      ],
      []
    ],
    [
      'roles in different organizations',
      [
        { role: 'manager', org: 'sos-do' },
        { role: 'budget', org: 'gym-kt' }
      ],
      []
    ]
  ])('%s', (_name, memberships, codes) => {
    expect(separationWarnings(memberships, allows).map((w) => w.code)).toEqual(codes);
  });
});
