import { describe, expect, it } from 'vitest';
import type { Ticket } from '../../../lib/domain/schemas';
import { addEvent, newTicket } from '../../../lib/domain/tickets/build';
import { slaOf } from '../../../lib/ui/sla/sla-view';
import { queueAction } from './keyboard';
import { EMPTY_FILTER, filterQueue, normalizeFilter, type QueueContext } from './queue-filter';
import { loadViews, removeView, saveView } from './saved-views';

const requester = { id: 'ucitel.gymkt', name: 'U', memberships: [] };
const agent = { id: 'helpdesk', name: 'H', memberships: [] };
const NOW = new Date('2026-01-12T10:00:00Z');

function ticket(orgId: string, priority: Ticket['priority'], minutesAgo: number, title = 'Tiskárna'): Ticket {
  const at = new Date(NOW.getTime() - minutesAgo * 60_000);
  const t = newTicket({ orgId, title, description: '', category: 'cat-printer', priority }, requester, at);
  return { ...t, receivedAt: at.toISOString() };
}

const DISTRICT: Record<string, string> = { 'gym-kt': 'KT', 'sos-do': 'DO', ku: 'PM' };
const ctx: QueueContext = { userId: 'helpdesk', districtOf: (o) => DISTRICT[o], slaOf: (t) => slaOf(t, [], NOW) };

describe('filterQueue', () => {
  const a = ticket('gym-kt', 'P1', 300, 'Síť nejde'); // P1 breached (4 h, 24x7)
  const b = ticket('sos-do', 'P1', 10, 'Projektor');
  const c = addEvent(
    ticket('ku', 'P3', 5),
    { kind: 'assign', assignee: { queue: 'contractor', userId: 'technik.kt' } },
    agent,
    NOW
  );
  const started = addEvent(
    ticket('gym-kt', 'P4', 5),
    { kind: 'status', to: 'in_progress' },
    agent,
    new Date(NOW.getTime() - 60_000)
  );
  const closed = addEvent(started, { kind: 'status', to: 'resolved', text: 'ok' }, agent, NOW);
  const all = [b, c, a, closed];

  it('shows open tickets, breached first', () => {
    expect(filterQueue(all, EMPTY_FILTER, ctx).map((r) => r.ticket.id)).toEqual([a.id, b.id, c.id]);
  });

  it.each([
    [{ district: 'KT' }, ['a']],
    [{ orgId: 'sos-do' }, ['b']],
    [{ priority: 'P3' }, ['c']],
    [{ assignee: 'contractor' }, ['c']],
    [{ assignee: 'user:technik.kt' }, ['c']],
    [{ assignee: 'unassigned' }, ['a', 'b']],
    [{ sla: 'breached' }, ['a']],
    [{ text: 'sit' }, ['a']],
    [{ status: 'resolved' }, ['closed']]
  ] as const)('%j', (patch, expected) => {
    const names = new Map([
      [a.id, 'a'],
      [b.id, 'b'],
      [c.id, 'c'],
      [closed.id, 'closed']
    ]);
    const rows = filterQueue(all, { ...EMPTY_FILTER, ...patch }, ctx);
    expect(rows.map((r) => names.get(r.ticket.id)).sort()).toEqual([...expected]);
  });

  it('judges each ticket by the P1 policy in force at its receipt, not the one in force now', () => {
    // P1 stretched to 8 hours from 30 minutes ago: `a` (received 5 h ago, 4 h policy) stays breached,
    // a P1 received after the change is judged by the 8 hours.
    const stretched = [
      {
        id: 'sla-p1-new',
        kind: 'sla' as const,
        name: 'P1',
        priority: 'P1' as const,
        responseMinutes: 600,
        resolutionMinutes: 480,
        calendar: '24x7' as const,
        validFrom: new Date(NOW.getTime() - 30 * 60_000).toISOString()
      }
    ];
    const before = ticket('sos-do', 'P1', 60, 'Před změnou');
    const after = ticket('gym-kt', 'P1', 10, 'Po změně');
    const withPolicy = { ...ctx, slaOf: (t: Ticket) => slaOf(t, stretched, NOW) };
    const rows = filterQueue([a, before, after], { ...EMPTY_FILTER, sla: 'breached' }, withPolicy);
    // Both received under the 30-minute response target and unanswered: breached, as before the change.
    expect(rows.map((r) => r.ticket.id).sort()).toEqual([a.id, before.id].sort());
    const due = new Map(
      filterQueue([before, after], EMPTY_FILTER, withPolicy).map((r) => [r.ticket.id, r.sla.resolutionDueAt])
    );
    expect(due.get(before.id)).toBe(new Date(NOW.getTime() + 180 * 60_000).toISOString());
    expect(due.get(after.id)).toBe(new Date(NOW.getTime() + 470 * 60_000).toISOString());
  });

  it('normalizes a stored filter', () => {
    expect(normalizeFilter({ district: 'KT', evil: 1, status: 3 })).toEqual({ ...EMPTY_FILTER, district: 'KT' });
    expect(normalizeFilter(null)).toEqual(EMPTY_FILTER);
  });
});

describe('saved views', () => {
  const memory = () => {
    const m = new Map<string, string>();
    return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
  };

  it('keeps views per user, replaces by name and removes', () => {
    const s = memory();
    saveView(s, 'helpdesk', 'KT po termínu', { ...EMPTY_FILTER, district: 'KT', sla: 'breached' });
    saveView(s, 'helpdesk', 'KT po termínu', { ...EMPTY_FILTER, district: 'KT' });
    saveView(s, 'helpdesk', ' ', EMPTY_FILTER);
    expect(loadViews(s, 'helpdesk')).toEqual([{ name: 'KT po termínu', filter: { ...EMPTY_FILTER, district: 'KT' } }]);
    expect(loadViews(s, 'admin')).toEqual([]);
    expect(removeView(s, 'helpdesk', 'KT po termínu')).toEqual([]);
  });

  it('survives garbage in storage', () => {
    const s = memory();
    s.setItem('ict.queue.views.helpdesk', '{not json');
    expect(loadViews(s, 'helpdesk')).toEqual([]);
  });
});

describe('keyboard shortcuts', () => {
  it.each([
    [{ key: 'j' }, 'next'],
    [{ key: 'k' }, 'prev'],
    [{ key: 'x', target: { tagName: 'INPUT', type: 'checkbox' } }, 'select'],
    [{ key: 'a', target: { tagName: 'BODY' } }, 'assign'],
    [{ key: '/' }, 'search'],
    [{ key: '?' }, 'help'],
    [{ key: 'Enter', target: { tagName: 'TR' } }, 'open'],
    [{ key: 'Enter', target: { tagName: 'A' } }, null],
    [{ key: 'j', target: { tagName: 'INPUT', type: 'search' } }, null],
    [{ key: 'j', target: { tagName: 'TEXTAREA' } }, null],
    [{ key: 'k', target: { tagName: 'SELECT' } }, null],
    [{ key: 'j', target: { tagName: 'DIV', isContentEditable: true } }, null],
    [{ key: 'j', ctrlKey: true }, null],
    [{ key: 'q' }, null]
  ] as const)('%j → %s', (input, expected) => {
    expect(queueAction(input)).toBe(expected);
  });
});
