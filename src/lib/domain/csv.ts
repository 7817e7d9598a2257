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

export function toCsv<T>(rows: readonly T[], columns: readonly CsvColumn<T>[], delimiter = ','): string {
  const data = rows.map((row) => columns.map((c) => c.value(row) ?? ''));
  const body = Papa.unparse(
    { fields: columns.map((c) => c.header), data },
    { newline: '\r\n', delimiter, quotes: false, escapeFormulae: true, header: true }
  );
  return `${BOM}${body}\r\n`;
}
