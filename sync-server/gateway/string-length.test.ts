/**
 * The gateway's string length keywords decide every string exactly as ajv's own do (characters
 * are code points: a character outside the BMP counts once), with ajv's own error, including
 * strings whose UTF-16 length is near or past twice the limit, where the fast path decides alone.
 */
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { useFastStringLength } from './string-length';

const fast = new Ajv({ allErrors: false, strict: false });
useFastStringLength(fast);
const stock = new Ajv({ allErrors: false, strict: false });

const ASTRAL = '😀'; // two UTF-16 units, one character
const LONE = '\ud83d'; // a lone high surrogate counts as one character, as in ajv
const pieces = ['a', 'ž', ASTRAL, LONE];

/** Every string of 0–9 characters built from a repeated piece, and mixtures of ASCII and astral characters. */
function samples(): string[] {
  const out: string[] = [];
  for (const p of pieces) for (let n = 0; n <= 9; n++) out.push(p.repeat(n));
  for (let a = 0; a <= 6; a++) for (let b = 0; b <= 6; b++) out.push('a'.repeat(a) + ASTRAL.repeat(b));
  out.push(`${LONE}a${ASTRAL}`, `${ASTRAL}${LONE}`);
  return out;
}

describe('maxLength and minLength', () => {
  for (const limit of [0, 1, 2, 3, 4, 5]) {
    it(`match ajv's verdicts and errors at the limit ${limit}`, () => {
      for (const keyword of ['maxLength', 'minLength'] as const) {
        const schema = { type: 'object', properties: { title: { type: 'string', [keyword]: limit } } };
        const mine = fast.compile(schema);
        const theirs = stock.compile(schema);
        let allowed = 0;
        let refused = 0;
        for (const title of samples()) {
          const ok = mine({ title });
          expect(ok, `${keyword} ${limit}: ${JSON.stringify(title)}`).toBe(theirs({ title }));
          if (ok) allowed++;
          else {
            refused++;
            expect(mine.errors).toEqual(theirs.errors);
          }
        }
        expect(allowed).toBeGreaterThan(0);
        if (limit > 0) expect(refused).toBeGreaterThan(0);
      }
    });
  }

  it('a title of 200 emoji fits a limit of 200 characters; 201 do not', () => {
    const validate = fast.compile({ type: 'string', maxLength: 200, minLength: 3 });
    expect(validate(ASTRAL.repeat(200))).toBe(true);
    expect(validate(ASTRAL.repeat(201))).toBe(false);
    expect(validate.errors?.[0].message).toBe('must NOT have more than 200 characters');
    expect(validate(ASTRAL.repeat(2))).toBe(false);
    expect(validate.errors?.[0].message).toBe('must NOT have fewer than 3 characters');
  });
});
