/**
 * The administration screens' calls to `/api/admin/*`. Administration works online only (it
 * changes who may do what, which only the server can decide); errors carry the server's
 * reason and, where the server gives one, a stable code the screens put into words.
 */
import type { Membership } from '$lib/domain/access';
import type { OrgInput, OrgSite } from '$lib/domain/admin/org-input';
import type { RuleSetInput } from '$lib/domain/admin/rule-set-input';
import type { SectionInput } from '$lib/domain/admin/section-input';
import type { CalendarInput } from '$lib/domain/sla/calendar-entries';
import type { SeparationWarning } from '$lib/domain/admin/separation';

export interface OrgRow extends Partial<OrgInput> {
  id: string;
  name: string;
  closedAt?: string;
  sites?: OrgSite[];
  updatedAt?: string;
  updatedBy?: string;
}

export interface UserRow {
  username: string;
  name: string;
  email?: string;
  phone?: string;
  title?: string;
  orgId?: string;
  memberships: Membership[];
  disabled: boolean;
  hasPassword: boolean;
  resetExpiresAt?: string;
}

export interface UserFields {
  name: string;
  email?: string;
  phone?: string;
  title?: string;
  orgId?: string;
  memberships: Membership[];
}

export interface AuditRow {
  at: string;
  actor: string;
  ip: string;
  action: string;
  target?: string;
  detail?: string;
  before?: unknown;
  after?: unknown;
}

export interface CatalogRow {
  id: string;
  kind: string;
  name: string;
  nameEn?: string;
  price?: number;
  onSite?: boolean;
  priority?: string;
  responseMinutes?: number;
  resolutionMinutes?: number;
  calendar?: string;
  penalty?: number;
  userId?: string;
  districts?: string[];
  validFrom?: string;
  categoryId?: string;
}

export interface SectionRow {
  id: string;
  name: string;
  road: string;
  district: string;
  order: 'I' | 'II' | 'III';
  lengthKm?: number;
  path?: [number, number][];
  unmaintained?: boolean;
}

export interface ImportRow {
  line?: number;
  lines?: number[];
  id?: string;
  username?: string;
  name?: string;
  problems: string[];
  warnings?: SeparationWarning[];
}

export interface ImportAnswer {
  encoding: string;
  rows?: ImportRow[];
  users?: ImportRow[];
  valid: number;
  invalid: number;
  imported?: number;
  codes?: { username: string; code: string; expiresAt: string }[];
}

export class AdminError extends Error {
  constructor(
    readonly status: number,
    readonly body: { error?: string; reason?: string; code?: string; problems?: unknown[] } & Partial<ImportAnswer>
  ) {
    super(body.reason ?? body.error ?? `HTTP ${status}`);
  }
}

async function call<T>(method: string, path: string, body?: unknown, raw?: { type: string; data: Blob }): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        ...(raw ? { 'content-type': raw.type } : body !== undefined ? { 'content-type': 'application/json' } : {})
      },
      body: raw ? raw.data : body === undefined ? undefined : JSON.stringify(body)
    });
  } catch (e) {
    throw new AdminError(0, { error: 'offline', reason: e instanceof Error ? e.message : String(e) });
  }
  const parsed = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) throw new AdminError(res.status, parsed);
  return parsed as T;
}

export const adminApi = {
  orgs: () => call<{ orgs: OrgRow[] }>('GET', '/api/admin/orgs').then((r) => r.orgs),
  createOrg: (org: Record<string, unknown>) => call<{ org: OrgRow }>('POST', '/api/admin/orgs', org).then((r) => r.org),
  updateOrg: (id: string, org: Record<string, unknown>) =>
    call<{ org: OrgRow }>('PUT', `/api/admin/orgs/${encodeURIComponent(id)}`, org).then((r) => r.org),
  setOrgClosed: (id: string, closed: boolean) =>
    call<{ org: OrgRow }>('POST', `/api/admin/orgs/${encodeURIComponent(id)}/${closed ? 'close' : 'reopen'}`).then(
      (r) => r.org
    ),

  users: () => call<{ users: UserRow[] }>('GET', '/api/admin/users').then((r) => r.users),
  user: (username: string) =>
    call<{ user: UserRow }>('GET', `/api/admin/users/${encodeURIComponent(username)}`).then((r) => r.user),
  createUser: (user: UserFields & { username: string }) =>
    call<{ user: UserRow; code: string; expiresAt: string; warnings: SeparationWarning[] }>(
      'POST',
      '/api/admin/users',
      user
    ),
  updateUser: (username: string, user: UserFields) =>
    call<{ user: UserRow; warnings: SeparationWarning[] }>(
      'PUT',
      `/api/admin/users/${encodeURIComponent(username)}`,
      user
    ),
  userAction: (username: string, action: 'deactivate' | 'activate' | 'reset') =>
    call<{ user: UserRow; code?: string; expiresAt?: string }>(
      'POST',
      `/api/admin/users/${encodeURIComponent(username)}/${action}`
    ),

  importCsv: (kind: 'orgs' | 'users', file: Blob, dryRun: boolean) =>
    call<ImportAnswer>('POST', `/api/admin/${kind}/import${dryRun ? '?dryRun=1' : ''}`, undefined, {
      type: 'text/csv',
      data: file
    }),

  audit: (query: Record<string, string>) =>
    call<{ entries: AuditRow[] }>('GET', `/api/admin/audit?${new URLSearchParams(query)}`).then((r) => r.entries),
  auditCsvUrl: (query: Record<string, string>) =>
    `/api/admin/audit?${new URLSearchParams({ ...query, format: 'csv' })}`,

  catalog: () => call<{ entries: CatalogRow[] }>('GET', '/api/admin/catalog').then((r) => r.entries),
  sections: () => call<{ sections: SectionRow[] }>('GET', '/api/admin/sections').then((r) => r.sections),
  addCategory: (c: { id: string; name: string; nameEn?: string; price: number; onSite: boolean }) =>
    call('POST', '/api/admin/catalog/categories', c),
  editCategory: (id: string, c: { name: string; nameEn?: string; onSite: boolean }) =>
    call('PUT', `/api/admin/catalog/categories/${encodeURIComponent(id)}`, c),
  addPrice: (p: { categoryId: string; price: number; validFrom: string }) =>
    call('POST', '/api/admin/catalog/prices', p),
  addSla: (p: Record<string, unknown>) => call('POST', '/api/admin/catalog/sla', p),
  addCalendar: (c: CalendarInput & { validFrom: string }) => call('POST', '/api/admin/catalog/calendars', c),
  saveRuleSet: (r: RuleSetInput, id: string | null) =>
    id
      ? call('PUT', `/api/admin/catalog/rule-sets/${encodeURIComponent(id)}`, r)
      : call('POST', '/api/admin/catalog/rule-sets', r),
  addContractor: (c: { id: string; name: string; userId: string; districts: string[] }) =>
    call('POST', '/api/admin/catalog/contractors', c),
  editContractor: (id: string, c: { name: string; userId: string; districts: string[] }) =>
    call('PUT', `/api/admin/catalog/contractors/${encodeURIComponent(id)}`, c),
  editSection: (id: string, s: Omit<SectionRow, 'id' | 'path' | 'unmaintained'>) =>
    call('PUT', `/api/admin/sections/${encodeURIComponent(id)}`, s),
  /** A new route for a stored section; the server checks it and measures the length again. */
  redrawSection: (s: SectionRow, path: [number, number][]) =>
    call<{ entry: SectionRow }>('PUT', `/api/admin/sections/${encodeURIComponent(s.id)}`, {
      name: s.name,
      road: s.road,
      district: s.district,
      order: s.order,
      path
    }).then((r) => r.entry),
  addSection: (s: SectionInput) => call<{ entry: SectionRow }>('POST', '/api/admin/sections', s).then((r) => r.entry)
};
