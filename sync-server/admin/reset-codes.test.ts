import { describe, expect, it } from 'vitest';
import { checkResetCode, issueResetCode, RESET_CODE_TTL_MS } from './reset-codes';

describe('one-time codes', () => {
  it('match once issued, in any case and grouping, until they expire', () => {
    const now = Date.parse('2026-11-30T08:00:00Z');
    const { code, stored } = issueResetCode('admin', now);
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(JSON.stringify(stored)).not.toContain(code);
    expect(checkResetCode(stored, code, now)).toBeNull();
    expect(checkResetCode(stored, code.toLowerCase().replaceAll('-', ' '), now)).toBeNull();
    expect(checkResetCode(stored, code, now + RESET_CODE_TTL_MS)).toBe('expired');
    expect(checkResetCode(stored, 'AAAA-AAAA-AAAA', now)).toBe('wrong');
    expect(checkResetCode(undefined, code, now)).toBe('none');
  });

  it('differ every time', () => {
    const codes = new Set(Array.from({ length: 50 }, () => issueResetCode('admin').code));
    expect(codes.size).toBe(50);
  });
});
