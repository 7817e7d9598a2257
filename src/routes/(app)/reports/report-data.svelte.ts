/**
 * What both report screens read: the tickets in the person's report scope, and the reference
 * data (organizations, catalog, people) that names and prices them. Live: a ticket that syncs
 * in while the report is open changes the figures. Call during component initialisation.
 */
import type { OrgInfo } from '$lib/domain/access';
import type { Ticket, TicketComment } from '$lib/domain/schemas';
import { commentsByTicket, withComments } from '$lib/domain/tickets/comments';
import type { CatalogEntry } from '$lib/domain/sla/policy';
import { typed } from '$lib/ui/collections';
import { live } from '$lib/ui/live.svelte';
import { session } from '$lib/ui/session.svelte';
import type { NameSources } from './report-labels';
import { inScope, reportScope, type ReportScope } from './report-scope';

const NO_SCOPE: ReportScope = { all: false, orgIds: new Set() };

export interface ReportData {
  readonly loaded: boolean;
  readonly scope: ReportScope;
  readonly tickets: Ticket[];
  readonly catalog: CatalogEntry[];
  readonly orgs: OrgInfo[];
  readonly names: NameSources;
}

export function reportData(): ReportData {
  const db = $derived(session.db ? typed(session.db) : null);
  const tickets = live(() => db?.tickets.find().$, []);
  // A staff comment is a first response (SLA): comments are documents of their own.
  const comments = live(() => db?.comments.find().$, []);
  const orgs = live(() => db?.region('orgs'), []);
  const catalog = live(() => db?.region('catalog'), []);
  const people = live(() => db?.region('people'), []);

  const orgInfos = $derived(
    orgs.current.map((o) => ({ id: o.id, district: o.district, founder: o.founder, kind: o.kind }))
  );
  const scope = $derived(session.me ? reportScope(session.me.user, orgInfos) : NO_SCOPE);
  // RxDB documents expose their fields as properties, which is all the report domain reads.
  const byTicket = $derived(commentsByTicket(comments.current as unknown as TicketComment[]));
  const scoped = $derived(
    (tickets.current as unknown as Ticket[])
      .filter((t) => inScope(scope, t))
      .map((t) => {
        const mine = byTicket.get(t.id);
        // A plain copy only where comments join (an RxDB document does not spread).
        return mine ? withComments((t as unknown as { toJSON(): Ticket }).toJSON(), mine) : t;
      })
  );
  const entries = $derived(catalog.current as unknown as CatalogEntry[]);
  const names = $derived<NameSources>({ orgs: orgs.current, catalog: catalog.current, people: people.current });

  return {
    get loaded() {
      return tickets.loaded && comments.loaded && orgs.loaded && catalog.loaded;
    },
    get scope() {
      return scope;
    },
    get tickets() {
      return scoped;
    },
    get catalog() {
      return entries;
    },
    get orgs() {
      return orgInfos;
    },
    get names() {
      return names;
    }
  };
}
