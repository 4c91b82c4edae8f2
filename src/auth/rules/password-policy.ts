/** A username: lower case, 3-64 of a-z 0-9 . _ -, starting with a letter or digit. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{2,63}$/;

/**
 * Password rule for every user (docs/security.md): 10 to 72 bytes (bcrypt reads no more than
 * 72 bytes), with at least one letter and one digit and at least 5 different characters, no
 * space at either end, not the username inside it.
 * @returns the reason it is refused, or null when acceptable
 */
export function passwordProblem(password: string, username?: string): string | null {
  if (typeof password !== 'string') return 'required: text';
  if ([...password].length < 10) return 'at least 10 characters';
  if (password.trim() !== password) return 'no spaces at the start or the end';
  if (new Set(password.normalize('NFKC')).size < 5) return 'at least 5 different characters';
  if (Buffer.byteLength(password, 'utf8') > 72) return 'at most 72 bytes (bcrypt ignores the rest)';
  if (!/\p{L}/u.test(password) || !/\p{Nd}/u.test(password)) return 'needs at least one letter and one digit';
  if (username && password.toLowerCase().includes(username.toLowerCase()))
    return 'must not contain the username';
  return null;
}
