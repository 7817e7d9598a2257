/**
 * Reading a CSV file as Czech Excel saves it: semicolons, decimal commas, Windows-1250 or
 * UTF-8 (with or without BOM). The bytes are decoded as UTF-8 when they are valid UTF-8 and
 * as Windows-1250 otherwise; headers may be the English field names or their Czech labels.
 * A file with missing or unknown columns is refused as a whole, before any row is looked at.
 */
import Papa from 'papaparse';

export interface CsvTable {
  encoding: 'utf-8' | 'windows-1250';
  /** Data rows keyed by canonical column name; `line` is the file's line number (header = 1). */
  rows: { line: number; cells: Record<string, string> }[];
}

export interface ColumnSpec {
  /** Canonical name → accepted header spellings (compared without case and diacritics). */
  columns: Record<string, string[]>;
  required: string[];
}

const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

export function decodeCsv(bytes: Uint8Array): { text: string; encoding: CsvTable['encoding'] } | { problem: string } {
  if (bytes.length === 0) return { problem: 'the file is empty' };
  if (bytes.includes(0))
    return { problem: 'this is not a text file (save it from Excel as "CSV (oddělený středníkem)")' };
  let text: string;
  let encoding: CsvTable['encoding'] = 'utf-8';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder('windows-1250').decode(bytes);
    encoding = 'windows-1250';
  }
  return { text: text.replace(/^\uFEFF/, ''), encoding };
}

export function readCsv(bytes: Uint8Array, spec: ColumnSpec, maxRows = 5000): CsvTable | { problem: string } {
  const decoded = decodeCsv(bytes);
  if ('problem' in decoded) return decoded;
  const parsed = Papa.parse<string[]>(decoded.text, { delimitersToGuess: [';', ',', '\t'], skipEmptyLines: 'greedy' });
  const [header, ...data] = parsed.data;
  if (!header || header.length === 0) return { problem: 'the file has no header row' };
  const lookup = new Map<string, string>();
  for (const [name, spellings] of Object.entries(spec.columns))
    for (const s of [name, ...spellings]) lookup.set(fold(s), name);
  const names = header.map((h) => lookup.get(fold(h)));
  const unknown = header.filter((_, i) => !names[i]);
  const missing = spec.required.filter((r) => !names.includes(r));
  if (unknown.length > 0 || missing.length > 0) {
    const parts = [
      ...(missing.length ? [`missing columns: ${missing.join(', ')}`] : []),
      ...(unknown.length ? [`unknown columns: ${unknown.map((u) => `"${u}"`).join(', ')}`] : [])
    ];
    return { problem: `${parts.join('; ')}. Expected columns: ${Object.keys(spec.columns).join(', ')}` };
  }
  if (data.length > maxRows) return { problem: `the file has ${data.length} rows; import at most ${maxRows} at once` };
  const rows = data.map((cells, i) => {
    const record: Record<string, string> = {};
    names.forEach((name, j) => {
      if (name) record[name] = (cells[j] ?? '').trim();
    });
    return { line: i + 2, cells: record };
  });
  return { encoding: decoded.encoding, rows };
}

/** Czech and English yes/no; undefined for an empty cell, null for anything else. */
export function parseYesNo(v: string): boolean | undefined | null {
  const f = fold(v);
  if (f === '') return undefined;
  if (['ano', 'yes', 'true', '1', 'a', 'y'].includes(f)) return true;
  if (['ne', 'no', 'false', '0', 'n'].includes(f)) return false;
  return null;
}

/** A number written with a decimal comma or point, spaces as thousands separators. */
export function parseDecimal(v: string): number | undefined | null {
  const s = v.replace(/[\s\u00a0]/g, '').replace(',', '.');
  if (s === '') return undefined;
  return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : null;
}

export { fold as foldHeader };
