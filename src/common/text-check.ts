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
 * Checks one free-text field: storable characters, no invisible formatting character
 * (invisibleCharacter) and at most `maxLength` characters.
 * @returns the reason it is refused, or null when it is fine
 */
export function textProblem(s: string, maxLength?: number): string | null {
  if (maxLength !== undefined && s.length > maxLength) {
    const n = characterLength(s);
    if (n > maxLength) return `longer than ${maxLength} characters (${n})`;
  }
  return unstorableCharacter(s)?.reason ?? invisibleCharacter(s)?.reason ?? null;
}

// Invisible formatting characters that make a text display other than it is stored: the
// bidirectional embeddings, overrides and isolates U+202A-U+202E and U+2066-U+2069 ("Trojan
// Source": a reason or a name shown reversed or reordered), and the zero-width space U+200B, word
// joiner U+2060 and zero-width no-break space U+FEFF (look-alike texts that compare unequal). The
// joiners U+200C/U+200D stay: emoji and some scripts need them.
const INVISIBLE = /[\u200B\u2060\uFEFF\u202A-\u202E\u2066-\u2069]/;
const INVISIBLE_NAMES: Record<number, string> = {
  0x200b: 'zero-width space',
  0x2060: 'word joiner',
  0xfeff: 'zero-width no-break space',
  0x202a: 'left-to-right embedding',
  0x202b: 'right-to-left embedding',
  0x202c: 'pop directional formatting',
  0x202d: 'left-to-right override',
  0x202e: 'right-to-left override',
  0x2066: 'left-to-right isolate',
  0x2067: 'right-to-left isolate',
  0x2068: 'first strong isolate',
  0x2069: 'pop directional isolate',
};

/**
 * Finds the first invisible formatting character of a free text (a name, a reason, a comment):
 * bidirectional controls, zero-width space, word joiner, U+FEFF. Free texts refuse them
 * (textProblem); identifiers (USCC, credential numbers) drop them in their own normalisation
 * instead, since they come pasted from documents.
 * @returns its index and a reason naming it, or null
 */
export function invisibleCharacter(s: string): TextProblem | null {
  const m = INVISIBLE.exec(s);
  if (!m) return null;
  const code = m[0].charCodeAt(0);
  return {
    index: m.index,
    reason: `contains the invisible formatting character ${hex(code)} (${INVISIBLE_NAMES[code]}) at character ${m.index + 1}: the text would display other than it is stored`,
  };
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
