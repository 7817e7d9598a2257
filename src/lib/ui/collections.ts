/** Typed views of the data layer's collections, for the fields the screens read. */
import type { RxCollection } from 'rxdb';
import type { AppDb } from '$lib/db';
import type { Priority, Ticket } from '$lib/domain/schemas';

export interface OrgDoc {
  id: string;
  name: string;
  shortName: string;
  kind: string;
  district: string;
  founder?: string;
}

export interface CatalogDoc {
  id: string;
  kind: 'category' | 'sla' | 'contractor' | 'calendar';
  name: string;
  nameEn?: string;
  priority?: Priority;
}

export interface PersonDoc {
  id: string;
  name: string;
  orgId?: string;
}

export function typed(db: AppDb) {
  return {
    tickets: db.collections.tickets as RxCollection<Ticket>,
    orgs: db.collections.orgs as RxCollection<OrgDoc>,
    catalog: db.collections.catalog as RxCollection<CatalogDoc>,
    people: db.collections.people as RxCollection<PersonDoc>
  };
}
