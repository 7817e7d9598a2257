/**
 * Ids of the asset module's records. An asset's id is made from its organization and its
 * inventory number, so a number can exist once per organization by construction: a second
 * asset with the same number is the same CouchDB document, which the gateway refuses as a
 * duplicate instead of storing two. Other records get a time part and random bits (made
 * offline on any device, never colliding), prefixed with their type.
 */
import type { RandomBytes } from '../tickets/ids';

/** Longest asset id: a ticket names its asset in a field of at most 60 characters. */
const MAX_ID = 60;

/** How an inventory number is compared: trimmed, inner spaces collapsed, upper case. */
export function normalizeInventoryNo(raw: string): string {
  return raw.trim().replace(/\s+/g, ' ').toLocaleUpperCase('cs');
}

/**
 * `asset:<org>:<number>` with every character outside A–Z, 0–9 and `-` written as `_` and four
 * hex digits (`DHM/2019` → `DHM_002f2019`): ids allow few characters, and the encoding must not
 * make two different numbers one.
 */
export function assetDocId(orgId: string, inventoryNo: string): string {
  const n = normalizeInventoryNo(inventoryNo);
  let enc = '';
  for (const ch of n) {
    enc += /[A-Z0-9-]/.test(ch) ? ch : `_${ch.codePointAt(0)!.toString(16).padStart(4, '0')}`;
  }
  return `asset:${orgId}:${enc}`;
}

/** Whether an inventory number fits into an id (numbers with many special characters may not). */
export function inventoryNoProblem(orgId: string, inventoryNo: string): string | null {
  const n = normalizeInventoryNo(inventoryNo);
  if (!n) return 'the inventory number is empty';
  if (n.length > 40) return 'the inventory number is longer than 40 characters';
  if (assetDocId(orgId, n).length > MAX_ID)
    return 'the inventory number has too many special characters; use letters, digits, "-" and "/"';
  return null;
}

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
const cryptoBytes: RandomBytes = (n) => globalThis.crypto.getRandomValues(new Uint8Array(n));

/** `<prefix>:<ms base36>-<random>`, e.g. `hist:lq3k2a-x8d7k2p1`. */
export function newRecordId(prefix: string, now: Date = new Date(), bytes: RandomBytes = cryptoBytes): string {
  const random = Array.from(bytes(8), (b) => ALPHABET[b % 36]).join('');
  return `${prefix}:${now.getTime().toString(36)}-${random}`;
}
