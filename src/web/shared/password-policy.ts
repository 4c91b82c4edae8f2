/**
 * The password rule of src/auth/rules/password-policy.ts, for the pages: said to a person, and
 * checked before a form is sent (the service checks it again and has the last word). No imports:
 * src/auth/rules/password-policy-web.spec.ts checks that both rules agree.
 */

/** The password rule (src/auth/rules/password-policy.ts passwordProblem), as a person reads it. */
export const PASSWORD_POLICY =
  '密码长度10至72个字节，至少包含一个字母和一个数字，至少5个不同的字符，首尾不能有空格，不能包含用户名。';

/**
 * What is wrong with a password, checked in the page before sending (the same rule as
 * password-policy.ts; the service checks it again and has the last word).
 * @returns the Chinese reason, or null when acceptable
 */
export function passwordProblemZh(password: string, username?: string): string | null {
  if ([...password].length < 10) return '密码至少10个字符';
  if (password.trim() !== password) return '密码首尾不能有空格';
  if (new Set(password.normalize('NFKC')).size < 5) return '密码至少包含5个不同的字符';
  if (new TextEncoder().encode(password).length > 72) return '密码不能超过72个字节（约24个汉字）';
  if (!/\p{L}/u.test(password) || !/\p{Nd}/u.test(password)) return '密码至少包含一个字母和一个数字';
  if (username && password.toLowerCase().includes(username.toLowerCase())) return '密码不能包含用户名';
  return null;
}
