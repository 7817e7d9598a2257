/** The organization list as a CSV file: columns, Czech labels, and each row checked like the form. */
import { validateOrgInput, type OrgInput, type OrgProblem } from '../../src/lib/domain/admin/org-input';
import { foldHeader, parseYesNo, readCsv, type ColumnSpec } from './csv-import';

export const ORG_COLUMNS: ColumnSpec = {
  columns: {
    id: ['kód', 'identifikátor'],
    name: ['název'],
    shortName: ['zkratka', 'krátký název', 'short name'],
    ico: ['IČO', 'IČ'],
    kind: ['druh', 'typ'],
    district: ['okres'],
    founder: ['zřizovatel', 'odbor zřizovatele', 'founding department'],
    address: ['adresa', 'sídlo'],
    sites: ['pracoviště', 'místa'],
    allowBudgetAccountantSamePerson: ['rozpočet a účetní jedna osoba', 'správce rozpočtu = hlavní účetní'],
    invoicesNeedBudget: ['faktury přes správce rozpočtu', 'invoices need budget']
  },
  required: ['id', 'name', 'shortName', 'ico', 'kind', 'district']
};

/** Czech names of the kinds, as people write them in a spreadsheet. */
const KIND_WORDS: Record<string, string> = {
  urad: 'office',
  skola: 'school',
  silnice: 'roads',
  udrzbasilnic: 'roads',
  zdravotnictvi: 'health',
  socialni: 'social',
  socialnipece: 'social',
  kultura: 'culture',
  nakup: 'purchasing',
  centralninakup: 'purchasing',
  jine: 'other',
  ostatni: 'other'
};

export interface OrgCsvRow {
  line: number;
  id: string;
  org?: OrgInput;
  problems: string[];
}

/** Sites as `id=Name, address | id2=Name2`. */
function parseSites(cell: string): { id: string; name: string; address?: string }[] | string {
  if (!cell) return [];
  const out = [];
  for (const part of cell
    .split('|')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq < 1) return `sites must be written as "id=Name, address | id2=Name"; got "${part}"`;
    const rest = part.slice(eq + 1);
    const comma = rest.indexOf(',');
    out.push({
      id: part.slice(0, eq).trim(),
      name: (comma < 0 ? rest : rest.slice(0, comma)).trim(),
      ...(comma >= 0 ? { address: rest.slice(comma + 1).trim() } : {})
    });
  }
  return out;
}

export function readOrgCsv(bytes: Uint8Array, taken: (id: string) => boolean) {
  const table = readCsv(bytes, ORG_COLUMNS, 1000);
  if ('problem' in table) return table;
  const seen = new Set<string>();
  const rows: OrgCsvRow[] = table.rows.map(({ line, cells }) => {
    const problems: string[] = [];
    const sites = parseSites(cells.sites ?? '');
    if (typeof sites === 'string') problems.push(sites);
    const flag = parseYesNo(cells.allowBudgetAccountantSamePerson ?? '');
    if (flag === null) problems.push('allowBudgetAccountantSamePerson must be ano/ne (yes/no)');
    const invoicesNeedBudget = parseYesNo(cells.invoicesNeedBudget ?? '');
    if (invoicesNeedBudget === null) problems.push('invoicesNeedBudget must be ano/ne (yes/no)');
    const kind = KIND_WORDS[foldHeader(cells.kind ?? '')] ?? (cells.kind ?? '').toLowerCase();
    const checked = validateOrgInput(
      {
        ...cells,
        kind,
        sites: typeof sites === 'string' ? [] : sites,
        allowBudgetAccountantSamePerson: flag === true,
        invoicesNeedBudget: invoicesNeedBudget === true
      },
      (id) => taken(id)
    );
    const id = (cells.id ?? '').toLowerCase();
    if ('problems' in checked) problems.push(...checked.problems.map((p: OrgProblem) => p.reason));
    if (id && seen.has(id)) problems.push(`the id "${id}" appears twice in the file`);
    seen.add(id);
    return { line, id, ...('org' in checked && problems.length === 0 ? { org: checked.org } : {}), problems };
  });
  return { encoding: table.encoding, rows };
}
