import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCanonicalIsoTime, isDateTime, useFastDateTime } from './date-time-format';

const reference = new Ajv();
addFormats(reference);
const full = reference.compile({ type: 'string', format: 'date-time' });

/** Strings shaped like a timestamp, with every character free to go wrong. */
const nearTimes = fc
  .tuple(
    fc.date({ min: new Date(-62167219200000), max: new Date(253402300799999), noInvalidDate: true }),
    fc.array(fc.tuple(fc.nat(23), fc.constantFrom(...'0123456789-T:.Zz +x\u0660')), { maxLength: 3 })
  )
  .map(([d, edits]) => {
    const chars = [...d.toISOString()];
    for (const [at, c] of edits) chars[at] = c;
    return chars.join('');
  });

describe('date-time format', () => {
  it('answers as ajv-formats does for timestamps and near-timestamps', () => {
    fc.assert(
      fc.property(fc.oneof(nearTimes, fc.string({ maxLength: 30 })), (s) => {
        expect(isDateTime(s)).toBe(full(s));
        if (isCanonicalIsoTime(s)) expect(full(s)).toBe(true);
      }),
      { numRuns: 20_000 }
    );
  });

  it.each([
    ['2024-02-29T10:00:00.000Z', true],
    ['2023-02-29T10:00:00.000Z', false],
    ['2100-02-29T10:00:00.000Z', false],
    ['2000-02-29T10:00:00.000Z', true],
    ['2026-04-31T10:00:00.000Z', false],
    ['2026-12-07T24:00:00.000Z', false],
    ['2026-12-07T23:59:60.000Z', true],
    ['2026-12-07T10:00:00Z', true],
    ['2026-12-07T10:00:00.000+01:00', true],
    ['2026-12-07T10:00:00.000', false],
    ['2026-12-07 10:00:00.000Z', true],
    ['20x6-12-07T10:00:00.000Z', false]
  ])('%s is %s, as ajv-formats says', (s, valid) => {
    expect(full(s)).toBe(valid);
    expect(isDateTime(s)).toBe(valid);
  });

  it('replaces the format on an ajv and keeps its error', () => {
    const ajv = new Ajv();
    addFormats(ajv);
    useFastDateTime(ajv);
    const v = ajv.compile({ type: 'string', format: 'date-time' });
    expect(v('2026-12-07T10:00:00.000Z')).toBe(true);
    expect(v('2026-13-07T10:00:00.000Z')).toBe(false);
    expect(v.errors?.[0]?.message).toBe('must match format "date-time"');
  });

  it("keeps ajv-formats' comparison of times (formatMinimum)", () => {
    const ajv = new Ajv();
    addFormats(ajv, { keywords: true });
    useFastDateTime(ajv);
    const v = ajv.compile({ type: 'string', format: 'date-time', formatMinimum: '2026-01-01T00:00:00.000Z' });
    expect(v('2026-06-01T10:00:00.000Z')).toBe(true);
    expect(v('2025-12-31T23:59:59.999Z')).toBe(false);
  });
});
