/** A stored ticket of gym-kt as tests of the device's ticket indexes write it: assigned, reported by the teacher. */
export const FIXTURE_AT = '2026-11-30T08:00:00.000Z';

export const fixtureTicket = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  orgId: 'gym-kt',
  title: 'Tiskárna netiskne',
  description: '',
  category: 'cat-printer',
  priority: 'P3',
  requester: 'ucitel.gymkt',
  status: 'assigned',
  events: [],
  createdBy: 'ucitel.gymkt',
  createdAt: FIXTURE_AT,
  updatedBy: 'ucitel.gymkt',
  updatedAt: FIXTURE_AT,
  ...extra
});
