import { failsOnlyCheckChar, parseUscc } from '../common/uscc.js';

/** Runs one SQL statement with positional parameters and gives its rows (TypeORM's DataSource.query). */
export type RunQuery = (sql: string, params: unknown[]) => Promise<unknown[]>;

/**
 * The USCC of `input` as the register holds it: the normalised code when it is valid
 * (common/uscc.ts parseUscc), or a code that fails only its check character(s) when the register
 * keeps exactly that code for review (`import register --accept-bad-check-char`,
 * `uscc_check_char_failed`). Every way of naming an enterprise (the API's `:uscc`, the CLI) goes
 * through it, so a code kept for review is reachable everywhere alike.
 * @throws UsccError naming the rule and position, for any other invalid code
 */
export async function registeredUscc(run: RunQuery, input: string): Promise<string> {
  try {
    return parseUscc(input);
  } catch (e) {
    if (failsOnlyCheckChar(e)) {
      const [kept] = await run(`SELECT 1 FROM enterprise WHERE uscc = $1 AND uscc_check_char_failed`, [
        e.code,
      ]);
      if (kept) return e.code;
    }
    throw e;
  }
}
