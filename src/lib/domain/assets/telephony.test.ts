import { describe, expect, it } from 'vitest';
import {
  checkNumber,
  formatNumber,
  formatRange,
  freeNumbers,
  normalizeNumber,
  overlappingRanges,
  parseRange,
  phoneId,
  rangeId,
  rangeSize,
  rangeUsage,
  searchNumbers,
  type NumberAssignment,
  type NumberRange
} from './telephony';

const today = '2026-11-30';
const range = (text: string, orgId = 'ku'): NumberRange => {
  const r = parseRange(text)!;
  return { id: rangeId(r.from), orgId, type: 'phone_range', ...r };
};
const ku = range('+420 377 195 000–499');
const held = (number: string, holderId: string, over: Partial<NumberAssignment> = {}): NumberAssignment => ({
  id: phoneId(number),
  orgId: 'ku',
  type: 'phone_number',
  number,
  holderKind: 'person',
  holderId,
  holderLabel: holderId,
  since: '2026-01-05',
  ...over
});

describe('numbers', () => {
  it.each([
    ['+420 377 195 012', '+420377195012'],
    ['377195012', '+420377195012'],
    ['00420 377 195 012', '+420377195012'],
    ['+420-377-195-012', '+420377195012'],
    ['+49 30 1234567', '+49301234567'],
    ['37719501', null],
    ['+420 377 195 01', null],
    ['abc', null],
    ['', null]
  ])('%s → %s', (input, e164) => expect(normalizeNumber(input)).toBe(e164));

  it('shows a Czech number in groups of three', () => {
    expect(formatNumber('+420377195012')).toBe('+420 377 195 012');
    expect(formatNumber('+49301234567')).toBe('+49301234567');
  });

  it('reads a range as the operator writes it, and writes it back the same way', () => {
    expect(parseRange('+420 377 195 000–499')).toEqual({ from: '+420377195000', to: '+420377195499' });
    expect(parseRange('+420 377 195 000 - +420 377 195 099')).toEqual({ from: '+420377195000', to: '+420377195099' });
    expect(formatRange(ku)).toBe('+420 377 195 000–499');
    expect(formatRange(range('+420 377 195 000–099'))).toBe('+420 377 195 000–099');
    expect(rangeSize(ku)).toBe(500);
  });

  it.each(['+420 377 195 499–000', '+420 377 195 000', 'from–to', '+420 377 195 000–+49 30 1234567'])(
    'refuses the range %s',
    (text) => expect(parseRange(text)).toBeNull()
  );

  it('finds ranges that share numbers', () => {
    const other = range('+420 377 195 400–599', 'gym-kt');
    const apart = range('+420 376 312 100–199', 'gym-kt');
    expect(overlappingRanges([ku, other, apart]).map(([a, b]) => [a.orgId, b.orgId])).toEqual([['ku', 'gym-kt']]);
  });
});

describe('checkNumber', () => {
  it('accepts a number within the organization’s ranges', () => {
    expect(checkNumber(null, held('+420377195012', 'helpdesk'), [ku], today)).toBeNull();
  });

  it('refuses a number outside the ranges, naming them', () => {
    const p = checkNumber(null, held('+420377196012', 'helpdesk'), [ku], today);
    expect(p?.code).toBe('outside-ranges');
    expect(p?.reason).toContain('+420 377 195 000–499');
  });

  it('refuses a number of another organization’s range', () => {
    expect(checkNumber(null, held('+420377195012', 'x'), [range('+420 377 195 000–499', 'gym-kt')], today)?.code).toBe(
      'outside-ranges'
    );
  });

  it('refuses the second holder of a number that is held (two devices, offline)', () => {
    const first = held('+420377195012', 'helpdesk');
    const second = held('+420377195012', 'asset-ku-phone-7', { holderKind: 'asset' });
    const p = checkNumber(first, second, [ku], today);
    expect(p?.code).toBe('taken');
    expect(p?.reason).toContain('already assigned to helpdesk since 2026-01-05');
  });

  it('lets a holder change when the writer names the holder it replaces', () => {
    const first = held('+420377195012', 'helpdesk');
    expect(
      checkNumber(first, held('+420377195012', 'admin', { replaces: 'person:helpdesk', since: today }), [ku], today)
    ).toBeNull();
  });

  it('lets a released number go to someone else, and release it', () => {
    const first = held('+420377195012', 'helpdesk');
    const released = { ...first, releasedOn: today };
    expect(checkNumber(first, released, [ku], today)).toBeNull();
    expect(checkNumber(released, held('+420377195012', 'admin'), [ku], today)).toBeNull();
  });

  it.each([
    ['invalid-number', { number: '377195012' }],
    ['wrong-id', { id: 'phone:1' }],
    ['no-holder', { holderId: undefined }]
  ] as const)('refuses %s', (code, over) => {
    expect(checkNumber(null, { ...held('+420377195012', 'helpdesk'), ...over }, [ku], today)?.code).toBe(code);
  });

  it('keeps a record’s number', () => {
    const first = held('+420377195012', 'helpdesk');
    expect(checkNumber(first, { ...first, number: '+420377195013' }, [ku], today)?.code).toBe('wrong-id');
  });
});

describe('free numbers, usage and search', () => {
  const numbers = [
    held('+420377195000', 'admin', { holderLabel: 'Jana Dvořáková' }),
    held('+420377195001', 'helpdesk', { holderLabel: 'Petr Novák' }),
    held('+420377195002', 'sim-1', { holderKind: 'sim', releasedOn: '2026-06-01' })
  ];

  it('lists the numbers nobody holds, released ones included', () => {
    expect(freeNumbers([ku], numbers, today, 3)).toEqual(['+420377195002', '+420377195003', '+420377195004']);
  });

  it('counts held and free numbers per range', () => {
    expect(rangeUsage(ku, numbers, today)).toEqual({ size: 500, held: 2, free: 498 });
  });

  it.each([
    ['195 001', ['+420377195001']],
    ['+420 377', ['+420377195000', '+420377195001', '+420377195002']],
    ['novak', ['+420377195001']],
    ['jana DVOŘÁKOVÁ', ['+420377195000']],
    ['sim-1', []]
  ])('search %s', (q, expected) => {
    expect(searchNumbers(numbers, q, today).map((n) => n.number)).toEqual(expected);
  });
});
