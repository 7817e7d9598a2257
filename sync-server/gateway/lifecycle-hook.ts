/**
 * The ticket lifecycle (who may make which status transition, append-only events replayed in
 * order, categories and priorities from the catalog) lives in the tickets domain module, shared
 * with the client; the gateway enforces it on every ticket write with the catalog as it is now.
 */
import { checkTicketChange } from '../../src/lib/domain/tickets/check';
import type { Ticket } from '../../src/lib/domain/schemas';
import type { TicketCatalog } from '../../src/lib/domain/tickets/check';
import type { WriteHooks } from '../../src/lib/domain/write-rules';

export function ticketWriteHooks(catalog: () => TicketCatalog | undefined): WriteHooks {
  return {
    checkTicketChange: (user, roles, before, after) =>
      checkTicketChange(user, roles, (before ?? undefined) as Ticket | undefined, after as unknown as Ticket, catalog())
  };
}
