import { describe, expect, it } from 'vitest';
import { validateOrgInput } from './org-input';

const good = {
  id: 'zs-horazdovice',
  name: 'Základní škola Horažďovice',
  shortName: 'ZŠ Horažďovice',
  ico: '70890366',
  kind: 'school',
  district: 'kt',
  founder: 'skolstvi',
  address: 'Komenského 211, 341 01 Horažďovice',
  sites: [{ id: 'hlavni', name: 'Hlavní budova' }]
};

describe('organization input', () => {
  it('normalizes a good organization', () => {
    const r = validateOrgInput(good);
    expect(r).toEqual({
      org: { ...good, district: 'KT', allowBudgetAccountantSamePerson: false, invoicesNeedBudget: false }
    });
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['malformed id', { id: 'ZŠ Horažďovice' }, 'id', 'pattern'],
    ['missing id', { id: '' }, 'id', 'required'],
    ['bad IČO', { ico: '70890367' }, 'ico', 'ico_checksum'],
    ['short IČO', { ico: '1234' }, 'ico', 'ico_format'],
    ['unknown kind', { kind: 'zoo' }, 'kind', 'unknown_value'],
    ['unknown district', { district: 'XX' }, 'district', 'unknown_value'],
    [
      'duplicate site',
      {
        sites: [
          { id: 'a', name: 'A' },
          { id: 'a', name: 'B' }
        ]
      },
      'sites',
      'duplicate'
    ]
  ])('%s', (_n, patch, field, code) => {
    const r = validateOrgInput({ ...good, ...patch });
    expect('problems' in r && r.problems).toEqual([expect.objectContaining({ field, code })]);
  });

  it('refuses a taken id', () => {
    const r = validateOrgInput(good, (id) => id === 'zs-horazdovice');
    expect('problems' in r && r.problems[0]).toMatchObject({ field: 'id', code: 'taken' });
  });
});
