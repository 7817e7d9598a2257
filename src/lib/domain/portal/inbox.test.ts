import { describe, expect, it } from 'vitest';
import type { ApprovalRow } from './approval-view';
import { hasInboxWork, inboxItems, urgencyOf } from './inbox';
import type { TaskRow } from './task-view';

const now = new Date('2026-11-30T09:00:00Z');
const task = (id: string, dueAt: string, actions: string[]) =>
  ({ task: { id, orgId: 'gym-kt', title: id, dueAt }, actions }) as unknown as TaskRow;
const approval = (id: string, dueDate: string | undefined, myStep: string | null) =>
  ({ doc: { id, orgId: 'gym-kt', number: id, dueDate }, myStep }) as unknown as ApprovalRow;

describe('inbox', () => {
  it.each([
    [undefined, 'later'],
    ['2026-11-29T09:00:00Z', 'overdue'],
    ['2026-12-01T08:00:00Z', 'today'],
    ['2026-12-20', 'later']
  ] as const)('due %s → %s', (due, u) => expect(urgencyOf(due, now)).toBe(u));

  it('lists only what waits on the person, most urgent first', () => {
    const items = inboxItems({
      userId: 'me',
      now,
      tickets: [
        { id: 't1', orgId: 'a', title: 'mine', status: 'assigned', assignee: { userId: 'me' } },
        { id: 't2', orgId: 'a', title: 'someone else', status: 'assigned', assignee: { userId: 'x' } },
        { id: 't3', orgId: 'a', title: 'answer me', status: 'waiting', requester: 'me' },
        { id: 't4', orgId: 'a', title: 'resolved', status: 'resolved', assignee: { userId: 'me' } }
      ],
      tasks: [task('k1', '2026-11-20T00:00:00Z', ['done']), task('k2', '2026-11-20T00:00:00Z', [])],
      approvals: [approval('a1', '2026-12-24', 'prikazce'), approval('a2', undefined, null)]
    });
    expect(items.map((i) => i.id)).toEqual(['k1', 't3', 'a1', 't1']);
    expect(items.map((i) => i.urgency)).toEqual(['overdue', 'today', 'later', 'later']);
    expect(hasInboxWork(items)).toBe(true);
    expect(hasInboxWork(inboxItems({ userId: 'nobody', now, tickets: [], tasks: [], approvals: [] }))).toBe(false);
  });
});
