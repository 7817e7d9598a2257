/**
 * Import of an organization's existing register from a CSV file as Czech Excel saves it:
 * semicolon separated (comma accepted), decimal comma, dates as 1. 9. 2021, in Windows-1250 or
 * UTF-8 (with or without a byte-order mark). Pure: bytes in, a preview out: every row either
 * an asset to add or update, unchanged, or its errors in words. Nothing is written while any
 * row has an error, and importing the same file again adds and changes nothing, because an
 * asset's id is made from its inventory number and unchanged fields are not rewritten.
 */
import Papa from 'papaparse';
import {
  ASSET_KINDS,
  ASSET_STATES,
  type AssetDoc,
  type AssetHistoryDoc,
  type AssetKind,
  type AssetState
} from '../schemas/assets';
import { diffAsset, historyEntry, newAsset, withAssetKeys, type AssetInput } from './build';
import { isDay } from './fields';
import { assetDocId, inventoryNoProblem, normalizeInventoryNo } from './ids';
import { transitionProblem } from './lifecycle';

/** The fields a file may fill, each with the column names Czech registers use for it. */
export const IMPORT_COLUMNS = {
  inventoryNo: ['inventární číslo', 'inv. číslo', 'inv. č.', 'inventarni cislo', 'inventory number', 'číslo majetku'],
  name: ['název', 'nazev', 'popis', 'name'],
  kind: ['druh', 'typ', 'kategorie', 'kind'],
  manufacturer: ['výrobce', 'vyrobce', 'značka', 'manufacturer'],
  model: ['model'],
  serialNo: ['sériové číslo', 'seriove cislo', 'výrobní číslo', 's/n', 'sn', 'serial number'],
  site: ['umístění', 'umisteni', 'budova', 'lokalita', 'site'],
  room: ['místnost', 'mistnost', 'room'],
  holderName: ['uživatel', 'uzivatel', 'držitel', 'drzitel', 'odpovědná osoba', 'holder'],
  purchaseDate: ['datum pořízení', 'datum porizeni', 'pořízeno', 'purchase date'],
  price: ['cena', 'pořizovací cena', 'porizovaci cena', 'cena s dph', 'price'],
  supplier: ['dodavatel', 'supplier'],
  warrantyEnd: ['záruka do', 'zaruka do', 'konec záruky', 'warranty end'],
  state: ['stav', 'state'],
  note: ['poznámka', 'poznamka', 'note']
} as const satisfies Record<string, readonly string[]>;
export type ImportField = keyof typeof IMPORT_COLUMNS;

const REQUIRED: readonly ImportField[] = ['inventoryNo', 'name', 'kind'];

/** Words for kinds and states in Czech registers (lower case, without diacritics). */
const KIND_WORDS: Record<string, AssetKind> = {
  pc: 'workstation',
  pocitac: 'workstation',
  'stolni pocitac': 'workstation',
  'pracovni stanice': 'workstation',
  notebook: 'laptop',
  laptop: 'laptop',
  ntb: 'laptop',
  server: 'server',
  switch: 'network',
  router: 'network',
  ap: 'network',
  'wifi ap': 'network',
  firewall: 'network',
  'sitovy prvek': 'network',
  tiskarna: 'printer',
  multifunkce: 'printer',
  'multifunkcni zarizeni': 'printer',
  projektor: 'projector',
  dataprojektor: 'projector',
  telefon: 'phone',
  mobil: 'phone',
  'mobilni telefon': 'phone',
  tablet: 'tablet',
  sim: 'sim',
  'sim karta': 'sim',
  ostatni: 'other',
  jine: 'other'
};
const STATE_WORDS: Record<string, AssetState> = {
  objednano: 'ordered',
  skladem: 'in_stock',
  sklad: 'in_stock',
  'na sklade': 'in_stock',
  'v pouzivani': 'in_use',
  pouziva: 'in_use',
  'pouziva se': 'in_use',
  provoz: 'in_use',
  'v provozu': 'in_use',
  'v oprave': 'in_repair',
  oprava: 'in_repair',
  servis: 'in_repair',
  vyrazeno: 'retired'
};

export const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

const COLUMN_OF = new Map<string, ImportField>(
  Object.entries(IMPORT_COLUMNS).flatMap(([field, names]) => names.map((n) => [fold(n), field as ImportField]))
);

export type Encoding = 'utf-8' | 'windows-1250';

/**
 * The text of the file: UTF-8 when it has a byte-order mark or decodes as UTF-8 without error,
 * Windows-1250 otherwise (what Excel in a Czech Windows saves as "CSV (oddělený středníkem)").
 */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: Encoding } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1250').decode(bytes), encoding: 'windows-1250' };
  }
}

/** `18 490,50 Kč`, `18.490,5`, `18490` → 18490.5; null when it is not a number. */
export function parseCzechNumber(raw: string): number | null {
  let s = raw.replace(/[\s\u00a0]/g, '').replace(/(Kč|CZK|,-)$/i, '');
  if (s === '') return null;
  if (s.includes(',')) s = s.replace(/\./g, '').replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(s)) return null;
  return Number(s);
}

/** `1. 9. 2021`, `01.09.2021`, `2021-09-01` → `2021-09-01`; null when it is not a date. */
export function parseCzechDate(raw: string): string | null {
  const s = raw.trim();
  const cz = /^(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})$/.exec(s);
  const iso = cz ? `${cz[3]}-${cz[2].padStart(2, '0')}-${cz[1].padStart(2, '0')}` : s;
  return isDay(iso) ? iso : null;
}

/** What an imported row sets on an asset (only the columns the file has). */
export type ImportedFields = Partial<Pick<AssetDoc, ImportField>>;

export interface ImportRow {
  /** Line in the file (the header is line 1), as a spreadsheet shows it. */
  line: number;
  inventoryNo: string;
  fields: ImportedFields;
  errors: string[];
  /** After planning: what importing it does. */
  action?: 'add' | 'update' | 'unchanged';
  /** Fields an update changes. */
  changed?: ImportField[];
}

export interface ImportPreview {
  encoding: Encoding;
  delimiter: string;
  /** Problems of the whole file (missing columns, unreadable text); nothing is imported. */
  fileErrors: string[];
  /** Columns the import does not know; they are left out. */
  ignoredColumns: string[];
  columns: ImportField[];
  rows: ImportRow[];
}

export interface ParseOptions {
  orgId: string;
  /** Accounts by full name (folded), so a holder named in the file becomes "my equipment". */
  people?: ReadonlyMap<string, string>;
}

/** Reads the file into rows with their errors; `planImport` then compares them with the register. */
export function parseRegisterCsv(bytes: Uint8Array, opts: ParseOptions): ImportPreview {
  const { text, encoding } = decodeCsv(bytes);
  const firstLine = text.slice(0, text.indexOf('\n') >>> 0);
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) >= (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const preview: ImportPreview = { encoding, delimiter, fileErrors: [], ignoredColumns: [], columns: [], rows: [] };
  if (text.includes('\uFFFD')) {
    preview.fileErrors.push(
      'the file contains characters that cannot be read; save it as CSV in UTF-8 or Windows-1250'
    );
    return preview;
  }
  const parsed = Papa.parse<string[]>(text, { delimiter, skipEmptyLines: 'greedy' });
  const [header, ...body] = parsed.data;
  if (!header || header.length === 0) {
    preview.fileErrors.push('the file is empty');
    return preview;
  }
  const fieldAt: (ImportField | null)[] = header.map((h) => COLUMN_OF.get(fold(h)) ?? null);
  header.forEach((h, i) => {
    if (!fieldAt[i] && h.trim()) preview.ignoredColumns.push(h.trim());
  });
  preview.columns = fieldAt.filter((f): f is ImportField => f !== null);
  const twice = preview.columns.filter((f, i) => preview.columns.indexOf(f) !== i);
  if (twice.length) preview.fileErrors.push(`the column for ${twice.join(', ')} is there twice`);
  for (const f of REQUIRED) {
    if (!preview.columns.includes(f)) preview.fileErrors.push(`missing column "${IMPORT_COLUMNS[f][0]}"`);
  }
  if (preview.fileErrors.length) return preview;

  const seen = new Map<string, number>();
  body.forEach((cells, i) => {
    const line = i + 2;
    const row: ImportRow = { line, inventoryNo: '', fields: {}, errors: [] };
    if (cells.length > header.length && cells.slice(header.length).some((c) => c.trim()))
      row.errors.push(
        `more cells (${cells.length}) than columns (${header.length}); a value may contain the separator`
      );
    fieldAt.forEach((field, col) => {
      if (!field) return;
      const raw = (cells[col] ?? '').trim();
      const problem = setField(row.fields, field, raw, opts);
      if (problem) row.errors.push(problem);
    });
    row.inventoryNo = row.fields.inventoryNo ?? '';
    if (row.inventoryNo) {
      const p = inventoryNoProblem(opts.orgId, row.inventoryNo);
      if (p) row.errors.push(p);
      const first = seen.get(row.inventoryNo);
      if (first) row.errors.push(`inventory number ${row.inventoryNo} is also on line ${first}`);
      else seen.set(row.inventoryNo, line);
    }
    if (row.fields.purchaseDate && row.fields.warrantyEnd && row.fields.warrantyEnd < row.fields.purchaseDate)
      row.errors.push('the warranty ends before the purchase date');
    preview.rows.push(row);
  });
  if (parsed.errors.some((e) => e.code === 'MissingQuotes'))
    preview.fileErrors.push('a quoted value is not closed; check the quotation marks in the file');
  return preview;
}

function setField(fields: ImportedFields, field: ImportField, raw: string, opts: ParseOptions): string | null {
  const label = IMPORT_COLUMNS[field][0];
  if (raw === '') return REQUIRED.includes(field) ? `${label} is empty` : null;
  switch (field) {
    case 'inventoryNo':
      fields.inventoryNo = normalizeInventoryNo(raw);
      return null;
    case 'kind': {
      const k = KIND_WORDS[fold(raw)] ?? (ASSET_KINDS as readonly string[]).find((x) => x === fold(raw));
      if (!k)
        return `${label} "${raw}" is not known (e.g. počítač, notebook, server, switch, tiskárna, projektor, telefon, tablet, SIM)`;
      fields.kind = k as AssetKind;
      return null;
    }
    case 'state': {
      const s =
        STATE_WORDS[fold(raw)] ?? (ASSET_STATES as readonly string[]).find((x) => x === fold(raw).replace(/ /g, '_'));
      if (!s) return `${label} "${raw}" is not known (objednáno, skladem, v používání, v opravě)`;
      if (s === 'retired')
        return 'retired assets are not imported: a retirement needs the manager’s approval in the register';
      fields.state = s as AssetState;
      return null;
    }
    case 'price': {
      const n = parseCzechNumber(raw);
      if (n === null) return `${label} "${raw}" is not a number (write e.g. 18 490,50)`;
      fields.price = n;
      return null;
    }
    case 'purchaseDate':
    case 'warrantyEnd': {
      const d = parseCzechDate(raw);
      if (!d) return `${label} "${raw}" is not a date (write e.g. 1. 9. 2021)`;
      fields[field] = d;
      return null;
    }
    case 'holderName': {
      fields.holderName = raw.slice(0, 200);
      const account = opts.people?.get(fold(raw));
      if (account) (fields as Partial<AssetDoc>).holder = account;
      return null;
    }
    default: {
      const max = field === 'name' || field === 'site' || field === 'supplier' ? 200 : field === 'note' ? 2000 : 100;
      if (raw.length > max) return `${label} is longer than ${max} characters`;
      fields[field] = raw;
      return null;
    }
  }
}

export interface ImportPlan {
  add: ImportRow[];
  update: ImportRow[];
  unchanged: ImportRow[];
  errors: ImportRow[];
}

/** Compares the rows with the assets the organization has (by id), row by row. */
export function planImport(
  preview: ImportPreview,
  orgId: string,
  existing: ReadonlyMap<string, Partial<AssetDoc>>
): ImportPlan {
  const plan: ImportPlan = { add: [], update: [], unchanged: [], errors: [] };
  for (const row of preview.rows) {
    if (row.errors.length) {
      plan.errors.push(row);
      continue;
    }
    const stored = existing.get(assetDocId(orgId, row.inventoryNo));
    if (!stored) {
      row.action = 'add';
      plan.add.push(row);
      continue;
    }
    const changed = (Object.keys(row.fields) as (ImportField | 'holder')[]).filter(
      (f) => f !== 'inventoryNo' && row.fields[f as ImportField] !== stored[f as ImportField]
    ) as ImportField[];
    const move = row.fields.state ? transitionProblem((stored.state as AssetState) ?? null, row.fields.state) : null;
    if (move) {
      row.errors.push(move);
      plan.errors.push(row);
    } else if (changed.length) {
      row.action = 'update';
      row.changed = changed;
      plan.update.push(row);
    } else {
      row.action = 'unchanged';
      plan.unchanged.push(row);
    }
  }
  return plan;
}

/**
 * The records an import writes: each new asset and each changed one, with a history entry
 * saying it came from the import. Called only when the plan has no errors (nothing
 * half-imported); fields the file does not have are left as they are.
 */
export function importDocs(
  plan: ImportPlan,
  orgId: string,
  existing: ReadonlyMap<string, AssetDoc>,
  userId: string,
  now: Date,
  fileName: string
): (AssetDoc | AssetHistoryDoc)[] {
  if (plan.errors.length) throw new Error('the file has rows with errors; nothing is imported');
  const at = now.toISOString();
  const note = `Import ${fileName}`.slice(0, 2000);
  const out: (AssetDoc | AssetHistoryDoc)[] = [];
  for (const row of plan.add) {
    const asset = newAsset(
      orgId,
      { ...(row.fields as AssetInput), state: row.fields.state ?? 'in_use', stateSince: at.slice(0, 10) },
      userId,
      now
    );
    out.push(asset, historyEntry(asset, 'imported', diffAsset(null, asset), userId, now, note));
  }
  for (const row of plan.update) {
    const before = existing.get(assetDocId(orgId, row.inventoryNo));
    if (!before) continue;
    const after = withAssetKeys({ ...before, ...row.fields, updatedBy: userId, updatedAt: at }) as AssetDoc;
    if (row.fields.state && row.fields.state !== before.state) after.stateSince = at.slice(0, 10);
    out.push(after, historyEntry(after, 'imported', diffAsset(before, after), userId, now, note));
  }
  return out;
}
