/** Typed views of the data layer's collections, for the fields the screens read. */
import type { MangoQuerySelector, RxCollection } from 'rxdb';
import type { AppDb } from '$lib/db';
import { regionDocs, type RegionDocs, type RegionKind } from '$lib/db/region';
import type { Ticket, TicketComment, TicketNote } from '$lib/domain/schemas';

export type {
  AlertDoc,
  CatalogDoc,
  IzsDoc,
  OrgDoc,
  PersonDoc,
  RegionDocs,
  RegionKind,
  SectionDoc
} from '$lib/db/region';
export { regionDocs, regionQuery } from '$lib/db/region';

export function typed(db: AppDb) {
  return {
    tickets: db.collections.tickets as RxCollection<Ticket>,
    notes: db.collections.notes as RxCollection<TicketNote>,
    /** A ticket's comments and attachment references, one document each (`tickets/comments.ts`). */
    comments: db.collections.comments as RxCollection<TicketComment>,
    /** Region reference data of one kind (organizations, people, catalog, sections, alerts, IZS), live. */
    region: <K extends RegionKind>(kind: K, selector?: MangoQuerySelector<RegionDocs[K]>) =>
      regionDocs(db, kind, selector)
  };
}
