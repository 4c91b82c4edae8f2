/**
 * A text cell of a CSV file meant for a spreadsheet, as text and never as a formula (OWASP "CSV
 * Injection"): a value starting with = + - @, a tab or a carriage return gets a leading `'`, which
 * Excel and WPS show as text. Every CSV the service writes for people (the register export, a
 * draw's list) passes its text cells through this one function.
 * @returns '' for null, the value itself when safe, else the value after a `'`
 */
export function spreadsheetText(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
