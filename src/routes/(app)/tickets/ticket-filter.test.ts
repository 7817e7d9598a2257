import { describe, expect, it } from 'vitest';
import { filterTickets, fold } from './ticket-filter';

const t = (id: string, over: Partial<Parameters<typeof filterTickets>[0][number]> = {}) => ({
  id,
  orgId: 'gym-kt',
  title: `Ticket ${id}`,
  description: '',
  status: 'new' as const,
  priority: 'P3' as const,
  createdAt: `2025-01-0${id}T08:00:00.000Z`,
  updatedAt: `2025-01-0${id}T09:00:00.000Z`,
  ...over
});

describe('filterTickets', () => {
  const all = [
    t('1', { title: 'Tiskárna ve sborovně', status: 'resolved' }),
    t('2', { orgId: 'sos-do', priority: 'P1' }),
    t('3', { description: 'Wi-Fi v tělocvičně nejde', status: 'waiting' })
  ];

  it.each([
    [{ sort: 'updated' as const }, ['3', '2', '1']],
    [{ sort: 'priority' as const }, ['2', '3', '1']],
    [{ sort: 'updated' as const, status: 'open' as const }, ['3', '2']],
    [{ sort: 'updated' as const, status: 'resolved' as const }, ['1']],
    [{ sort: 'updated' as const, orgId: 'sos-do' }, ['2']],
    [{ sort: 'updated' as const, text: 'tiskarna' }, ['1']],
    [{ sort: 'updated' as const, text: 'TĚLOCVIČNĚ wi-fi' }, ['3']]
  ])('%j → %j', (filter, ids) => {
    expect(filterTickets(all, filter).map((x) => x.id)).toEqual(ids);
  });

  it('folds diacritics and case', () => {
    expect(fold('Žluťoučký KŮŇ')).toBe('zlutoucky kun');
  });

  // Speed is measured in bench/ (scenario 6), never asserted here: a loaded machine would fail it.
  it('filters and sorts 10,000 tickets', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => ({
      ...t('1'),
      id: `t-${i}`,
      title: `Požadavek ${i}`,
      updatedAt: new Date(i * 1000).toISOString()
    }));
    const out = filterTickets(many, { sort: 'updated', text: 'pozadavek 99' });
    expect(out.length).toBe(many.filter((x) => x.title.includes('99')).length);
    expect(out.map((x) => x.updatedAt)).toEqual([...out.map((x) => x.updatedAt)].sort().reverse());
  });
});
