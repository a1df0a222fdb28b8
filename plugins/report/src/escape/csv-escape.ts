/** A value a CSV cell can hold. */
export type CsvValue = string | number | boolean | null | undefined;

/**
 * Characters a spreadsheet treats as the start of a formula. A cell from a notebook (an error
 * message `=HYPERLINK(...)`, a path starting with `-`) would otherwise run as one when the CSV
 * is opened in Excel, LibreOffice or Google Sheets (OWASP "CSV injection"). Tab and CR are on
 * OWASP's list as well: some spreadsheets strip them and then read the next character.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field (RFC 4180): numbers as they are (a negative number is data, not a formula),
 * strings prefixed with `'` when they would start a formula, and quoted with doubled quotes
 * whenever they contain a separator, a quote, a line break or edge spaces.
 */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const neutral = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/.test(neutral) ? `"${neutral.replace(/"/g, '""')}"` : neutral;
}

/** A whole CSV document: header row, then one row per record, CRLF line ends (RFC 4180). */
export function csvDocument(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
