/**
 * Sample internal notes of the IT staff, in the organizations' notes databases (never inside
 * a ticket: requesters, managers and the finance roles replicate tickets, not notes).
 */
import type { TicketNote } from '../../src/lib/domain/schemas';
import type { Clock } from './samples';

const note = (orgId: string, ticketId: string, n: number, by: string, at: string, text: string): TicketNote => ({
  id: `note-${ticketId}-${n}`,
  orgId,
  ticketId,
  text,
  createdBy: by,
  createdAt: at,
  updatedBy: by,
  updatedAt: at,
  // Seeded by the server itself, so received when written.
  receivedAt: at
});

/** Notes per organization. */
export function demoNotes(at: Clock): Map<string, TicketNote[]> {
  return new Map([
    [
      'gym-kt',
      [
        note(
          'gym-kt',
          'tkt-gym-kt-0002',
          1,
          'helpdesk',
          at(60 * 20),
          'Škola má u této tiskárny servisní smlouvu s dodavatelem, nejdřív ověřit záruku.'
        ),
        note(
          'gym-kt',
          'tkt-gym-kt-0002',
          2,
          'technik.kt',
          at(60 * 2),
          'Náhradní válec objednán, dorazí zítra; zákazníkovi zatím nic neslibovat.'
        )
      ]
    ]
  ]);
}
