/**
 * CSV as RFC 4180 describes it: CRLF between records, a field quoted when it holds a comma, a
 * double quote, CR or LF, and a double quote inside doubled. A text cell that a spreadsheet would
 * read as a formula (starting with = + - @, or a tab or CR that hides one) is prefixed with a
 * single quote, so that opening an export never runs what a participant wrote.
 */
export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let s = typeof value === 'string' ? value : String(value);
  if (typeof value === 'string' && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRecord(values: readonly CsvValue[]): string {
  return values.map(csvCell).join(',');
}

/** A header line and one record per row, each ended by CRLF. */
export function toCsv(header: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  const out = [csvRecord(header)];
  for (const r of rows) out.push(csvRecord(r));
  return out.join('\r\n') + '\r\n';
}
