import { describe, expect, it } from '@jest/globals';
import { passwordProblemZh } from '../../web/shared/password-policy.js';
import { passwordProblem } from './password-policy.js';

/** The pages check a password before sending it: they must refuse exactly what the service refuses. */
describe('the pages’ password check (src/web/shared/password-policy.ts)', () => {
  const cases: [string, string][] = [
    ['short1', 'zhang.wei'],
    ['abcdefghij', 'zhang.wei'],
    ['1234567890', 'zhang.wei'],
    ['aaaaa11111', 'zhang.wei'],
    [' Jiancha-2026', 'zhang.wei'],
    ['Jiancha-2026 ', 'zhang.wei'],
    ['zhang.wei-2026', 'zhang.wei'],
    ['ZHANG.WEI-2026', 'zhang.wei'],
    ['检查员密码一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑1', 'zhang.wei'],
    ['检查员密码2026年', 'zhang.wei'],
    ['Jiancha-2026-ln', 'li.na'],
    ['Neue-Passwort-2027', 'regulator-3'],
  ];
  it.each(cases)('%s (user %s): refused by both or by neither', (password, username) => {
    expect(passwordProblemZh(password, username) === null).toBe(passwordProblem(password, username) === null);
  });
  it('says why in Chinese', () => {
    expect(passwordProblemZh('short1')).toBe('密码至少10个字符');
    expect(passwordProblemZh('zhang.wei-2026', 'zhang.wei')).toBe('密码不能包含用户名');
  });
});
