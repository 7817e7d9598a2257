/**
 * CSV export of any list: UTF-8 with a byte-order mark (so Excel in a Czech locale reads
 * diacritics right), CRLF line ends, quoting by papaparse. Text cells starting with = + - @
 * are escaped so a spreadsheet does not run them as formulas; numbers stay numbers.
 */
import Papa from 'papaparse';

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => string | number | boolean | null | undefined;
}

export const BOM = '\uFEFF';

/**
 * A text cell a spreadsheet would read as a formula. Papaparse's own pattern (`escapeFormulae:
 * true`) ends in `.*$` without the dotall flag, so a value with a line break after the formula
 * did not match and was written as is.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function toCsv<T>(rows: readonly T[], columns: readonly CsvColumn<T>[], delimiter = ','): string {
  const data = rows.map((row) => columns.map((c) => c.value(row) ?? ''));
  const body = Papa.unparse(
    { fields: columns.map((c) => c.header), data },
    { newline: '\r\n', delimiter, quotes: false, escapeFormulae: FORMULA_START, header: true }
  );
  return `${BOM}${body}\r\n`;
}
