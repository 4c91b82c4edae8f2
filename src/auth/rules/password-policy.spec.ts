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
    expect(passwordProblem('密'.repeat(24) + '1')).toBe('at most 72 bytes (bcrypt ignores the rest)');
  });
  it('refuses a password containing the username', () => {
    expect(passwordProblem('zhangsan2026!', 'zhangsan')).toBe('must not contain the username');
    expect(passwordProblem('Lisi-2026-pass', 'zhangsan')).toBeNull();
  });
});
