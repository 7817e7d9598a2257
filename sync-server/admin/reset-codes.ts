/**
 * One-time codes an administrator hands to a person (a new user, or one who forgot the
 * password): 12 characters from an alphabet without look-alikes, valid 24 hours, usable once.
 * Only the SHA-256 of a code is stored, so a copy of the `auth` database reveals none; a code
 * is spent by removing it from the user in the same write that sets the new password.
 */
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';

export const RESET_CODE_TTL_MS = 24 * 60 * 60 * 1000;
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export interface StoredReset {
  codeHash: string;
  expiresAt: string;
  issuedBy: string;
}

const normalize = (code: string) => code.toUpperCase().replace(/[^A-Z0-9]/g, '');
const hashCode = (code: string) => createHash('sha256').update(normalize(code)).digest('hex');

export function issueResetCode(issuedBy: string, now = Date.now()): { code: string; stored: StoredReset } {
  let raw = '';
  for (let i = 0; i < 12; i++) raw += ALPHABET[randomInt(ALPHABET.length)];
  const code = `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
  return {
    code,
    stored: { codeHash: hashCode(code), expiresAt: new Date(now + RESET_CODE_TTL_MS).toISOString(), issuedBy }
  };
}

export type CodeProblem = 'none' | 'expired' | 'wrong';

/** null when the code matches an unexpired stored code. */
export function checkResetCode(stored: StoredReset | undefined, code: string, now = Date.now()): CodeProblem | null {
  if (!stored) return 'none';
  const a = Buffer.from(hashCode(code), 'hex');
  const b = Buffer.from(stored.codeHash, 'hex');
  if (a.length !== b.length || !timingSafeEqual(new Uint8Array(a), new Uint8Array(b))) return 'wrong';
  if (Date.parse(stored.expiresAt) <= now) return 'expired';
  return null;
}
