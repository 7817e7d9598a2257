import { describe, expect, it } from 'vitest';
import { historyEntry } from './build';
import { assetsDbCollectionOf } from './contracts-db';
import { diffRecord, hasHistory } from './record-history';
import { checkAssetDoc } from './rules';

describe('history of edited records', () => {
  it('lists each changed field with its old and new value, ignoring identity fields', () => {
    const before = { id: 'lic:ku:m365', orgId: 'ku', type: 'licence', seats: 500, validTo: '2027-08-31', note: 'x' };
    const after = { ...before, seats: 550, validTo: undefined, hardLimit: true, note: 'x' };
    expect(diffRecord(before, after)).toEqual([
      { field: 'hardLimit', to: 'true' },
      { field: 'seats', from: '500', to: '550' },
      { field: 'validTo', from: '2027-08-31' }
    ]);
    expect(diffRecord(before, { ...before })).toEqual([]);
  });

  it('keeps entries for contracts, agreements and ranges as valid records, a contract’s in the archive', () => {
    for (const id of ['contract:gym-kt:tisk', 'lic:ku:m365', 'phone-range:420376312000', 'asset:gym-kt:PC-1']) {
      expect(hasHistory(id), id).toBe(true);
      const entry = historyEntry({ id, orgId: 'gym-kt' }, 'edited', [{ field: 'x', to: '1' }], 'helpdesk', new Date());
      expect(checkAssetDoc(entry as never), id).toBeNull();
      expect(assetsDbCollectionOf(entry as never)).toBe(id.startsWith('contract:') ? 'contracts' : 'assets');
    }
    expect(hasHistory('phone:420376312001')).toBe(false);
  });
});
