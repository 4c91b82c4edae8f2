/**
 * Password rule for every user (docs/security.md): 10 to 72 bytes (bcrypt reads no more than
 * 72 bytes), with at least one letter and one digit, not the username inside it.
 * @returns the reason it is refused, or null when acceptable
 */
export function passwordProblem(password: string, username?: string): string | null {
  if (typeof password !== 'string') return 'required: text';
  if ([...password].length < 10) return 'at least 10 characters';
  if (Buffer.byteLength(password, 'utf8') > 72) return 'at most 72 bytes (bcrypt ignores the rest)';
  if (!/\p{L}/u.test(password) || !/\p{Nd}/u.test(password)) return 'needs at least one letter and one digit';
  if (username && password.toLowerCase().includes(username.toLowerCase()))
    return 'must not contain the username';
  return null;
}
