/**
 * JSON's structural bytes, for the scanners that read CouchDB's answers without parsing them
 * (`changes/raw-changes.ts`, `gateway/stream-filter.ts`). They are all ASCII, so no byte of a
 * multi-byte UTF-8 sequence is ever one of them.
 */
export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const COMMA = 0x2c;
export const COLON = 0x3a;
export const OPEN_OBJECT = 0x7b;
export const CLOSE_OBJECT = 0x7d;
export const OPEN_ARRAY = 0x5b;
export const CLOSE_ARRAY = 0x5d;

/** JSON's four whitespace bytes. */
export const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
