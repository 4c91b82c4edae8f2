import { describe, expect, it } from '@jest/globals';
import { passwordProblem } from './password-policy.js';

describe('passwordProblem', () => {
  it('accepts 10+ characters with a letter and a digit', () => {
    expect(passwordProblem('Demo-admin-2026')).toBeNull();
    expect(passwordProblem('监管密码abcdef12')).toBeNull();
  });
  it('refuses short, letter-only, digit-only and over-long passwords', () => {
    expect(passwordProblem('abc123')).toBe('at least 10 characters');
    expect(passwordProblem('abcdefghijk')).toBe('needs at least one letter and one digit');
    expect(passwordProblem('12345678901')).toBe('needs at least one letter and one digit');
    // 25 three-byte characters = 75 bytes: bcrypt would ignore the last bytes
    expect(passwordProblem('甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥天地' + '1')).toBe(
      'at most 72 bytes (bcrypt ignores the rest)',
    );
  });
  it('refuses a password containing the username', () => {
    expect(passwordProblem('zhangsan2026!', 'zhangsan')).toBe('must not contain the username');
    expect(passwordProblem('Lisi-2026-pass', 'zhangsan')).toBeNull();
  });

  it('refuses padding and repeated characters, fullwidth look-alikes included', () => {
    expect(passwordProblem('          a1')).toBe('no spaces at the start or the end');
    expect(passwordProblem('aaaaaaaaa\u0661')).toBe('at least 5 different characters');
    expect(passwordProblem('ａａａａａａａａａ１')).toBe('at least 5 different characters');
    expect(passwordProblem('abab1abab1ab')).toBe('at least 5 different characters');
  });
});
