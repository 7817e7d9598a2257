import { describe, expect, it } from 'vitest';
import type { ApprovalRow } from '$lib/domain/portal/approval-view';
import { filterRows, parseAmountFilter, type ApprovalFilter } from './approval-list';

const row = (number: string, amount: number, registeredOn: string, supplier: string, state = 'pending') =>
  ({
    doc: { id: number, number, amount, registeredOn, supplier, supplierIco: '25232312' },
    status: { state },
    myStep: null
  }) as unknown as ApprovalRow;

const rows = [
  row('FV-1', 1_200, '2026-11-02', 'Papírnictví Klatovy s.r.o.'),
  row('FV-2', 48_000, '2026-11-20', 'Alza.cz a.s.', 'approved'),
  row('OBJ-3', 250_000, '2026-12-01', 'O2 Czech Republic a.s.', 'rejected')
];
const all: ApprovalFilter = { view: 'all', state: '', text: '' };
const numbers = (f: Partial<ApprovalFilter>) => filterRows(rows, { ...all, ...f }).map((r) => r.doc.number);

describe('approvals list filters', () => {
  it.each([
    ['everything', {}, ['FV-1', 'FV-2', 'OBJ-3']],
    ['by state', { state: 'approved' }, ['FV-2']],
    ['by supplier', { text: 'alza' }, ['FV-2']],
    ['by IČO', { text: '2523' }, ['FV-1', 'FV-2', 'OBJ-3']],
    ['amount from', { minAmount: 48_000 }, ['FV-2', 'OBJ-3']],
    ['amount up to', { maxAmount: 48_000 }, ['FV-1', 'FV-2']],
    ['amount between', { minAmount: 1_201, maxAmount: 249_999 }, ['FV-2']],
    ['registered from', { from: '2026-11-20' }, ['FV-2', 'OBJ-3']],
    ['registered up to', { to: '2026-11-20' }, ['FV-1', 'FV-2']],
    ['all at once', { state: 'pending', text: 'klatovy', maxAmount: 5_000, from: '2026-11-01' }, ['FV-1']],
    ['only mine', { view: 'mine' }, []]
  ] as const)('%s', (_what, f, expected) => {
    expect(numbers(f as Partial<ApprovalFilter>)).toEqual(expected);
  });

  it('reads an amount as a person types it, or no bound', () => {
    expect(parseAmountFilter('12 500,50')).toBe(12_500.5);
    expect(parseAmountFilter('48000')).toBe(48_000);
    expect(parseAmountFilter('')).toBeUndefined();
    expect(parseAmountFilter('  ')).toBeUndefined();
    expect(parseAmountFilter('abc')).toBeUndefined();
  });
});
