import { describe, expect, it } from 'vitest';
import type { ApprovalRow } from './approval-view';
import { approvalItems, countByUrgency, hasInboxWork, inboxItems, mergeInbox, taskItems, ticketItems } from './inbox';
import type { TaskRow } from './task-view';

const now = new Date(2026, 10, 30, 9, 0, 0);
const inDays = (d: number) => new Date(2026, 10, 30 + d, 12, 0, 0).toISOString();
const task = (id: string, dueAt: string | undefined, actions: string[], remindDays?: number[], state = 'new') =>
  ({ task: { id, orgId: 'gym-kt', title: id, dueAt, remindDays }, actions, status: { state } }) as unknown as TaskRow;
const approval = (id: string, type: string, dueDate: string | undefined, myStep: string | null) =>
  ({ doc: { id, orgId: 'gym-kt', type, number: id, supplier: 'ACME', dueDate }, myStep }) as unknown as ApprovalRow;
const ctx = { userId: 'me', now };

describe('inbox', () => {
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
      tasks: [task('k1', inDays(-10), ['done']), task('k2', inDays(-10), [])],
      approvals: [approval('a1', 'invoice', '2027-01-30', 'prikazce'), approval('a2', 'invoice', undefined, null)]
    });
    expect(items.map((i) => i.id)).toEqual(['k1', 't3', 'a1', 't1']);
    expect(items.map((i) => i.urgency)).toEqual(['overdue', 'today', 'later', 'later']);
    expect(items.map((i) => i.source)).toEqual(['tasks', 'tickets', 'approvals', 'tickets']);
    expect(hasInboxWork(items)).toBe(true);
    expect(hasInboxWork(inboxItems({ userId: 'nobody', now, tickets: [], tasks: [], approvals: [] }))).toBe(false);
  });

  it('marks reminders by the lead times of the kind, or of the task itself', () => {
    const [def, own, none] = taskItems(
      [task('def', inDays(5), ['accept']), task('own', inDays(5), ['accept'], [3]), task('none', inDays(30), ['done'])],
      ctx
    );
    expect(def).toMatchObject({ urgency: 'soon', remindDays: 7, daysLeft: 5, why: 'task-accept', kind: 'task' });
    expect(own).toMatchObject({ urgency: 'later', daysLeft: 5 });
    expect(own.remindDays).toBeUndefined();
    expect(none.urgency).toBe('later');
    // An order is short-lived (3 and 1 day), an invoice has a week: the same due date differs.
    const date = new Date(2026, 11, 5).toLocaleDateString('sv-SE');
    const [order, invoice] = approvalItems(
      [approval('o', 'order', date, 'prikazce'), approval('i', 'invoice', date, 'ucetni')],
      ctx
    );
    expect(order).toMatchObject({ kind: 'order', urgency: 'later', why: 'approval-prikazce' });
    expect(invoice).toMatchObject({ kind: 'invoice', urgency: 'soon', remindDays: 7, why: 'approval-ucetni' });
    expect(invoice.title).toBe('i ACME');
  });

  it("leaves a task with its worker out of the director's work, naming the step that moves it on", () => {
    const items = taskItems(
      [
        task('held', inDays(5), ['assign'], undefined, 'assigned'),
        task('checked', inDays(5), ['return', 'report'], undefined, 'submitted'),
        task('fresh', inDays(5), ['accept', 'assign'], undefined, 'new')
      ],
      ctx
    );
    expect(items.map((i) => [i.id, i.why])).toEqual([
      ['checked', 'task-report'],
      ['fresh', 'task-accept']
    ]);
  });

  it('follows a policy given by the caller', () => {
    const [t] = taskItems([task('k', inDays(20), ['done'])], { ...ctx, policy: { task: [30] } });
    expect(t).toMatchObject({ urgency: 'soon', remindDays: 30 });
  });

  it('takes items of any source, merges and counts them by urgency', () => {
    const contract = {
      source: 'contracts',
      kind: 'contract',
      id: 'c1',
      orgId: 'gym-kt',
      title: 'Smlouva o podpoře',
      why: 'contract-expires',
      due: '2026-12-01',
      urgency: 'soon' as const
    };
    const tickets = ticketItems(
      [{ id: 't1', orgId: 'a', title: 'P1', status: 'in_progress', priority: 'P1', assignee: { userId: 'me' } }],
      ctx
    );
    const merged = mergeInbox(tickets, [contract]);
    expect(merged.map((i) => i.id)).toEqual(['t1', 'c1']);
    expect(countByUrgency(merged)).toEqual({ overdue: 0, today: 1, soon: 1, later: 0 });
  });
});
