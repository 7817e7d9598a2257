/**
 * The ticket lifecycle (who may make which status transition, append-only events replayed in
 * order, categories and priorities from the catalog) lives in the tickets domain module, shared
 * with the client; the gateway enforces it on every ticket write with the catalog as it is now.
 * The same catalog's district rule routes a new ticket when the server first accepts it.
 */
import type { OrgInfo, SessionUser } from '../../src/lib/domain/access';
import type { Ticket } from '../../src/lib/domain/schemas';
import { requeueReopened, routingEvent, type AssigneeRoles } from '../../src/lib/domain/tickets/auto-assign';
import { eventFields } from '../../src/lib/domain/tickets/build';
import { deriveState } from '../../src/lib/domain/tickets/events';
import { checkTicketChange, type TicketCatalog } from '../../src/lib/domain/tickets/check';
import type { Doc, WriteHooks } from '../../src/lib/domain/write-rules';
import type { BeginRelationsBatch } from '../contracts/relations-hook';
import type { BeginPortalBatch } from '../portal/write-hook';
import type { DbGrant } from './db-access';

export interface GatewayHooks extends WriteHooks {
  /** What the server's routing of a new ticket changes of it (events, status, assignee), or null when it needs none. */
  routeNewTicket?: (ticket: Doc, org: OrgInfo | undefined, at: string) => Doc | null;
  /** The reopened ticket handed back to a queue when its assignee can no longer work it, or null. */
  routeReopenedTicket?: (
    before: Doc,
    after: Doc,
    org: OrgInfo | undefined,
    held: AssigneeRoles,
    at: string
  ) => Doc | null;
  /**
   * The fields a collection caches from its events, derived again after the server stamped
   * the receipt times: the order that decides is the server's, which a device that wrote
   * offline could not know, so its cached `status` may differ and is not its to decide.
   */
  derivedFields?: (collection: string, doc: Doc) => Doc | null;
  /** Tasks and approvals: reads what judging the batch needs and holds the database's writes in line. */
  beginPortalBatch?: BeginPortalBatch;
  /** Licence seats, numbers and ranges of an asset database: reads what judging them needs. */
  beginRelationsBatch?: BeginRelationsBatch;
  /**
   * Where the user reads a database only in part (a founding department's files), what its
   * listings by id may show (its database info is then the name only); null where it reads the
   * database whole.
   */
  partialReads?: (grant: DbGrant) => PartialReader | null;
  /** After CouchDB accepted documents: each stored version with the one it replaced (null for a new one). */
  afterWrite?: (write: AcceptedWrite) => Promise<void>;
}

export interface PartialReader {
  /** `_all_docs` by keys: the rows the user may see, every other id answered as missing. */
  keyedRows(user: SessionUser, keys: readonly string[], query: URLSearchParams): Promise<unknown[]>;
}

export interface AcceptedWrite {
  user: SessionUser;
  db: string;
  /** The client address, as the server saw it. */
  ip: string;
  docs: { before: Doc | null; after: Doc }[];
}

export function ticketWriteHooks(catalog: () => TicketCatalog | undefined): GatewayHooks {
  return {
    checkTicketChange: (user, roles, before, after, assigneeRoles) =>
      checkTicketChange(
        user,
        roles,
        (before ?? undefined) as Ticket | undefined,
        after as unknown as Ticket,
        catalog(),
        assigneeRoles
      ),
    derivedFields: (collection, doc) => {
      if (collection !== 'tickets' || !Array.isArray(doc.events)) return null;
      return deriveState(doc.events as Ticket['events']);
    },
    routeNewTicket: (ticket, org, at) => {
      const rules = catalog()?.assign;
      const event = rules && routingEvent(ticket as unknown as Ticket, org?.district, rules, at, { received: true });
      // Only what the routing decides: a copy of the whole ticket for each of a batch's new
      // tickets was the largest single allocation of judging it.
      return event ? (eventFields([...(ticket.events as Ticket['events']), event]) as unknown as Doc) : null;
    },
    routeReopenedTicket: (before, after, org, held, at) =>
      requeueReopened(
        before as unknown as Ticket,
        after as unknown as Ticket,
        org?.district,
        catalog()?.assign,
        held,
        at
      ) as unknown as Doc | null
  };
}
