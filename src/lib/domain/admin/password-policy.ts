/**
 * The password policy: at least 12 characters, not a common password, not the username.
 * Length is what makes guessing slow; the list catches the long passwords people still pick
 * first ("qwertyuiop123", "password1234"), also when a common word is only padded with digits
 * or symbols. The list itself is data the caller passes in (the server ships it as a file),
 * so this stays pure and the client can run the same rule without it.
 */

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 200;

export type PasswordProblem = 'too_short' | 'too_long' | 'common' | 'contains_username' | 'repetitive';

export const PASSWORD_REASONS: Record<PasswordProblem, string> = {
  too_short: `the password must have at least ${MIN_PASSWORD_LENGTH} characters`,
  too_long: `the password may have at most ${MAX_PASSWORD_LENGTH} characters`,
  common: 'this password is among the most common ones; choose another',
  contains_username: 'the password must not contain the username',
  repetitive: 'the password must not be one character or a short sequence repeated'
};

/** Parses the shipped list: one password a line, `#` comments. */
export function parsePasswordList(text: string): Set<string> {
  const out = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    const p = line.trim().toLowerCase();
    if (p && !p.startsWith('#')) out.add(p);
  }
  return out;
}

export function checkPassword(
  password: string,
  opts: { username?: string; common?: ReadonlySet<string> } = {}
): PasswordProblem | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return 'too_short';
  if (length > MAX_PASSWORD_LENGTH) return 'too_long';
  const lower = password.toLowerCase();
  if (/^(.{1,4})\1+$/su.test(lower)) return 'repetitive';
  if (opts.username && opts.username.length >= 3 && lower.includes(opts.username.toLowerCase()))
    return 'contains_username';
  const common = opts.common;
  if (common) {
    // "Password2024!" and "2024password" are the common word with padding: strip it and look again.
    const core = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
    if (common.has(lower) || (core.length >= 4 && common.has(core))) return 'common';
  }
  return null;
}
