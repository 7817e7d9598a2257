/** Words for the domain's codes (status, priority, catalog names) in the current language. */
import type { Priority, TicketStatus } from '$lib/domain/schemas';
import { locale, m } from '$lib/i18n';

export function statusLabel(s: TicketStatus): string {
  switch (s) {
    case 'new':
      return m.status_new();
    case 'assigned':
      return m.status_assigned();
    case 'in_progress':
      return m.status_in_progress();
    case 'waiting':
      return m.status_waiting();
    case 'resolved':
      return m.status_resolved();
    case 'closed':
      return m.status_closed();
  }
}

export function priorityLabel(p: Priority): string {
  switch (p) {
    case 'P1':
      return m.priority_p1();
    case 'P2':
      return m.priority_p2();
    case 'P3':
      return m.priority_p3();
    case 'P4':
      return m.priority_p4();
  }
}

/** Catalog and organization entries carry a Czech name and, optionally, an English one. */
export function localName(entry: { name: string; nameEn?: string } | undefined, fallback = ''): string {
  if (!entry) return fallback;
  return locale.current === 'en' && entry.nameEn ? entry.nameEn : entry.name;
}
