import { describe, expect, it } from 'vitest';
import { decodeCsv, parseDecimal, parseYesNo, readCsv } from './csv-import';

const spec = { columns: { id: ['kód'], name: ['název'], lat: ['zeměpisná šířka'] }, required: ['id', 'name'] };

/** Windows-1250 bytes of a string (the characters used in these tests). */
function cp1250(s: string): Uint8Array {
  const map: Record<string, number> = {
    á: 0xe1,
    é: 0xe9,
    í: 0xed,
    ý: 0xfd,
    ž: 0x9e,
    š: 0x9a,
    č: 0xe8,
    ř: 0xf8,
    ě: 0xec,
    ů: 0xf9,
    Š: 0x8a,
    Ž: 0x8e
  };
  return Uint8Array.from([...s].map((c) => map[c] ?? c.charCodeAt(0)));
}

describe('CSV import', () => {
  it('reads a Windows-1250 file with Czech headers, semicolons and decimal commas', () => {
    const t = readCsv(cp1250('Kód;Název;Zeměpisná šířka\r\nzs-kt;Základní škola Klatovy;49,3961\r\n'), spec);
    expect(t).toEqual({
      encoding: 'windows-1250',
      rows: [{ line: 2, cells: { id: 'zs-kt', name: 'Základní škola Klatovy', lat: '49,3961' } }]
    });
    expect(parseDecimal('49,3961')).toBe(49.3961);
  });

  it('reads UTF-8 with a byte-order mark and commas', () => {
    const t = readCsv(new TextEncoder().encode('\uFEFFid,name\nzs-kt,"Škola, Klatovy"\n'), spec);
    expect(t).toMatchObject({ encoding: 'utf-8', rows: [{ cells: { id: 'zs-kt', name: 'Škola, Klatovy' } }] });
  });

  it('refuses wrong columns, naming them', () => {
    const t = readCsv(new TextEncoder().encode('id;nazev spolecnosti\nx;y\n'), spec);
    expect(t).toEqual({
      problem: expect.stringMatching(/missing columns: name; unknown columns: "nazev spolecnosti"/)
    });
  });

  it('refuses binary and empty files', () => {
    expect(decodeCsv(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x00]))).toEqual({
      problem: expect.stringMatching(/not a text file/)
    });
    expect(decodeCsv(new Uint8Array())).toEqual({ problem: 'the file is empty' });
  });

  it.each([
    ['ano', true],
    ['Ne', false],
    ['', undefined],
    ['možná', null]
  ])('yes/no %s → %s', (v, expected) => {
    expect(parseYesNo(v)).toBe(expected);
  });
});
