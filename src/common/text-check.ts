/**
 * The one check of text before it is stored, shared by the API (validation pipe, DTO limits) and
 * every CSV importer (issue 9, "limits that hold everywhere"): a text is refused when it holds a
 * character PostgreSQL cannot store or that marks broken decoding, or when it is longer than the
 * field's limit. Pure.
 */

/** Why a text cannot be stored, or null when it can. */
export interface TextProblem {
  /** 0-based UTF-16 index of the first offending character */
  index: number;
  reason: string;
}

// U+0000 (PostgreSQL text cannot hold it), the other C0 and C1 control characters but tab, line
// feed and carriage return (no text holds them; ESC sequences would reach the terminals of whoever
// lists the data), U+FFFD (a byte the decoder could not read), the noncharacters U+FDD0-U+FDEF,
// U+FFFE, U+FFFF and U+nFFFE/U+nFFFF of the other planes, and surrogates not part of a pair
const UNSTORABLE =
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFD\uFDD0-\uFDEF\uFFFE\uFFFF]|[\uD83F\uD87F\uD8BF\uD8FF\uD93F\uD97F\uD9BF\uD9FF\uDA3F\uDA7F\uDABF\uDAFF\uDB3F\uDB7F\uDBBF\uDBFF][\uDFFE\uDFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// every code unit UNSTORABLE can start with (surrogates of valid pairs too): a text without any
// of them is storable, and this single class is much cheaper to search than UNSTORABLE
const SUSPECT =
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uD800-\uDFFF\uFDD0-\uFDEF\uFFFD-\uFFFF]/;

const hex = (n: number) => 'U+' + n.toString(16).toUpperCase().padStart(4, '0');

/**
 * Finds the first unstorable character: NUL or another control character (C0 but tab, LF and
 * CR; DEL; C1), U+FFFD (an undecodable byte in a file), a
 * noncharacter (U+FFFE, U+FFFF, U+FDD0-U+FDEF, U+nFFFE/U+nFFFF) or a lone surrogate.
 * @returns its index and a reason naming it, or null when the text can be stored
 */
export function unstorableCharacter(s: string): TextProblem | null {
  if (!SUSPECT.test(s)) return null; // the common case, one character class: no lookaround to run
  const m = UNSTORABLE.exec(s);
  if (!m) return null;
  const c = m[0]!;
  const code = c.codePointAt(0)!;
  const at = `at character ${m.index + 1}`;
  if (code === 0) return { index: m.index, reason: `contains a NUL character (U+0000) ${at}` };
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f))
    return { index: m.index, reason: `contains the control character ${hex(code)} ${at}, not text` };
  if (code === 0xfffd)
    return {
      index: m.index,
      reason: `contains an undecodable byte (U+FFFD ${at}): the text is not in the encoding it was read as (UTF-8 or GB18030)`,
    };
  if (c.length === 1 && code >= 0xd800 && code <= 0xdfff)
    return { index: m.index, reason: `contains a lone surrogate (${hex(code)}) ${at}, not a character` };
  return { index: m.index, reason: `contains the noncharacter ${hex(code)} ${at}` };
}

/** Length in characters (code points; a surrogate pair counts once, as class-validator counts it). */
export function characterLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/**
 * Checks one text field: storable characters and at most `maxLength` characters.
 * @returns the reason it is refused, or null when it is fine
 */
export function textProblem(s: string, maxLength?: number): string | null {
  if (maxLength !== undefined && s.length > maxLength) {
    const n = characterLength(s);
    if (n > maxLength) return `longer than ${maxLength} characters (${n})`;
  }
  return unstorableCharacter(s)?.reason ?? null;
}

/**
 * Every string in a JSON value (keys included), with its path (`a.b[0]`), that cannot be stored.
 * @returns the first problem of each offending string, in document order
 */
export function unstorableInValue(value: unknown, path = ''): { field: string; reason: string }[] {
  const out: { field: string; reason: string }[] = [];
  const walk = (v: unknown, at: string, depth: number): void => {
    if (depth > 64) return; // deeper bodies are refused elsewhere
    if (typeof v === 'string') {
      const p = unstorableCharacter(v);
      if (p) out.push({ field: at || '(value)', reason: p.reason });
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${at}[${i}]`, depth + 1));
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        const child = at ? `${at}.${k}` : k;
        const kp = unstorableCharacter(k);
        if (kp) out.push({ field: child, reason: `the field name ${kp.reason}` });
        walk(x, child, depth + 1);
      }
    }
  };
  walk(value, path, 0);
  return out;
}
