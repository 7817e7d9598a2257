/** Words for the codes the report domain groups by: districts, resolvers, age buckets. */
import { m } from '$lib/i18n';
import { localName } from '$lib/ui/labels';
import type { CatalogDoc, OrgDoc, PersonDoc } from '$lib/ui/collections';

export function districtLabel(code: string): string {
  switch (code) {
    case 'PM':
      return m.reports_district_PM();
    case 'PS':
      return m.reports_district_PS();
    case 'PJ':
      return m.reports_district_PJ();
    case 'KT':
      return m.reports_district_KT();
    case 'DO':
      return m.reports_district_DO();
    case 'TC':
      return m.reports_district_TC();
    case 'RO':
      return m.reports_district_RO();
    default:
      return m.reports_district_unknown();
  }
}

export function ageLabel(bucket: string): string {
  switch (bucket) {
    case '<1d':
      return m.reports_age_lt1();
    case '1-3d':
      return m.reports_age_1_3();
    case '3-7d':
      return m.reports_age_3_7();
    case '7-30d':
      return m.reports_age_7_30();
    default:
      return m.reports_age_gt30();
  }
}

export interface NameSources {
  orgs: readonly OrgDoc[];
  catalog: readonly (CatalogDoc & { userId?: string })[];
  people: readonly PersonDoc[];
}

/** A contractor by the company name in the catalog, else the person's name, else the user id. */
export function contractorName(userId: string, src: NameSources): string {
  const company = src.catalog.find((c) => c.kind === 'contractor' && c.userId === userId);
  if (company) return localName(company);
  return src.people.find((p) => p.id === userId)?.name ?? userId;
}

/** A resolver group of `slaCompliance(…, 'contractor')`: a user, a queue, or nobody yet. */
export function resolverLabel(group: string, src: NameSources): string {
  if (group === 'central') return m.reports_queue_central();
  if (group === 'contractor') return m.reports_queue_contractor();
  if (group === 'unassigned') return m.reports_unassigned();
  return contractorName(group, src);
}

export function orgLabel(id: string, src: NameSources): string {
  return src.orgs.find((o) => o.id === id)?.shortName ?? id;
}

export function categoryLabel(id: string, src: NameSources): string {
  return localName(
    src.catalog.find((c) => c.kind === 'category' && c.id === id),
    id
  );
}
