/**
 * Users with memberships as a CSV file, one membership a row (as a spreadsheet lists them):
 * rows with the same username are one person, whose name and contacts come from the first.
 * Each person is checked like the form; problems are reported per person with their lines.
 */
import type { Membership, Role } from '../../src/lib/domain/access';
import type { AdminContext } from './context';
import { readCsv, type ColumnSpec } from './csv-import';
import { cleanMembership } from './memberships';
import { userProblems, warningsFor, type UserInput } from './user-input';

export const USER_COLUMNS: ColumnSpec = {
  columns: {
    username: ['uživatel', 'uživatelské jméno', 'login'],
    name: ['jméno', 'celé jméno'],
    email: ['e-mail', 'mail'],
    phone: ['telefon'],
    title: ['funkce', 'pozice'],
    orgId: ['domovská organizace', 'home org'],
    role: ['role'],
    org: ['organizace', 'organization'],
    districts: ['okresy', 'okres'],
    department: ['odbor'],
    validFrom: ['platí od', 'od'],
    validTo: ['platí do', 'do']
  },
  required: ['username', 'name', 'role']
};

/** `1. 9. 2026` and `2026-09-01` both mean the first of September. */
function parseDate(v: string): string | undefined {
  const s = v.trim();
  if (!s) return undefined;
  const cz = /^(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})$/.exec(s);
  if (cz) return `${cz[3]}-${cz[2].padStart(2, '0')}-${cz[1].padStart(2, '0')}`;
  return s;
}

export interface UserCsvEntry {
  lines: number[];
  input: UserInput;
  problems: string[];
  warnings: ReturnType<typeof warningsFor>;
}

export function readUserCsv(bytes: Uint8Array, ctx: AdminContext, exists: (username: string) => boolean) {
  const table = readCsv(bytes, USER_COLUMNS, 5000);
  if ('problem' in table) return table;
  const byName = new Map<string, UserCsvEntry>();
  for (const { line, cells } of table.rows) {
    const username = cells.username.toLowerCase();
    let entry = byName.get(username);
    if (!entry) {
      entry = {
        lines: [],
        input: {
          username,
          name: cells.name,
          email: cells.email || undefined,
          phone: cells.phone || undefined,
          title: cells.title || undefined,
          orgId: cells.orgId || cells.org || undefined,
          memberships: []
        },
        problems: [],
        warnings: []
      };
      byName.set(username, entry);
    }
    entry.lines.push(line);
    if (cells.role) {
      const m: Membership = cleanMembership({
        role: cells.role.trim().toLowerCase() as Role,
        org: cells.org?.toLowerCase() || undefined,
        districts: cells.districts
          ? cells.districts
              .split(/[\s,+/]+/)
              .filter(Boolean)
              .map((d) => d.toUpperCase())
          : undefined,
        department: cells.department?.toLowerCase() || undefined,
        validFrom: parseDate(cells.validFrom ?? ''),
        validTo: parseDate(cells.validTo ?? '')
      });
      entry.input.memberships.push(m);
    }
  }
  const users = [...byName.values()];
  for (const u of users) {
    if (exists(u.input.username)) u.problems.push(`the username "${u.input.username}" exists already`);
    u.problems.push(...userProblems(u.input, ctx));
    u.warnings = warningsFor(u.input.memberships, ctx);
  }
  return { encoding: table.encoding, users };
}
