import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkPassword, parsePasswordList } from './password-policy';

const common = parsePasswordList(
  readFileSync(new URL('../../../../sync-server/admin/data/common-passwords.txt', import.meta.url), 'utf8')
);

describe('password policy', () => {
  it('ships a list of a few thousand common passwords', () => {
    expect(common.size).toBeGreaterThan(4000);
    expect(common.has('password')).toBe(true);
    expect(common.has('heslo')).toBe(true);
  });

  it.each([
    ['kratke-heslo', null],
    ['short1', 'too_short'],
    ['jedenáctzn!', 'too_short'],
    ['qwertyuiop123', 'common'],
    ['1qaz2wsx3edc', 'common'],
    ['Password2024!', 'common'],
    ['2026hesloheslo', 'common'],
    ['aaaaaaaaaaaaaa', 'repetitive'],
    ['abcabcabcabcabc', 'repetitive'],
    ['ucitel.novak-2026', 'contains_username'],
    ['Sněžka nad Klatovy 7', null],
    ['x'.repeat(201), 'too_long']
  ])('%s → %s', (password, problem) => {
    expect(checkPassword(password, { username: 'ucitel.novak', common })).toBe(problem);
  });

  it('counts characters, not bytes', () => {
    expect(checkPassword('žluťoučký kůň', { common })).toBeNull();
  });
});
