import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8Text } from './utf8-text';

const decodedAsBefore = (bytes: Buffer): void => {
  expect(utf8Text(bytes)).toBe(bytes.toString('utf8'));
};

describe('utf8Text: a body decoded as toString("utf8") decodes it', () => {
  it('gives the same text for any text sent as UTF-8 (Czech, emoji, astral characters, lone surrogates)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        decodedAsBefore(Buffer.from(text, 'utf8'));
      }),
      { numRuns: 500 }
    );
    decodedAsBefore(Buffer.from('{"title":"Nefunguje tiskárna – „Přístup odepřen“ 😀 ř€"}'));
  });

  it('gives the same text, replacement characters included, for bytes that are not UTF-8', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        decodedAsBefore(Buffer.from(bytes));
      }),
      { numRuns: 500 }
    );
    decodedAsBefore(Buffer.from([0x7b, 0xc5, 0x22, 0xed, 0xa0, 0x80, 0xf4, 0x90, 0x80, 0x80, 0x7d]));
  });

  it('keeps a byte-order mark, an empty body and pure ASCII as they are', () => {
    decodedAsBefore(Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from('{"a":"ř"}')]));
    decodedAsBefore(Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from('{"a":1}')]));
    decodedAsBefore(Buffer.alloc(0));
    decodedAsBefore(Buffer.from('{"docs":[{"_id":"a","n":1}],"new_edits":true}'));
  });

  it('decodes a body of several megabytes whole', () => {
    const text = JSON.stringify({
      docs: Array.from({ length: 3000 }, (_, i) => ({ _id: `d${i}`, t: 'Žluťoučký kůň 😀 '.repeat(40) }))
    });
    decodedAsBefore(Buffer.from(text));
    expect(utf8Text(Buffer.from(text))).toBe(text);
  });
});
