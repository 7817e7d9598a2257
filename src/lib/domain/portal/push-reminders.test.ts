import { describe, expect, it } from 'vitest';
import type { InboxItem } from './inbox';
import { occasionOf, occasionUrl, reminderPayload } from './push-reminders';

const item = (over: Partial<InboxItem>): InboxItem => ({
  source: 'tasks',
  kind: 'task',
  id: 'task-1',
  orgId: 'gym-kt',
  title: 'Inventura',
  why: 'task-done',
  urgency: 'later',
  ...over
});

describe('push occasions', () => {
  it('a task or contract is an occasion at a lead reached, its last day and overdue; never "later"', () => {
    expect(occasionOf(item({ urgency: 'later', daysLeft: 20 }))).toBeNull();
    expect(occasionOf(item({ urgency: 'soon', daysLeft: 5, remindDays: 7 }))?.key).toBe('tasks|task-1|lead-7');
    expect(occasionOf(item({ urgency: 'soon', daysLeft: 1, remindDays: 1 }))?.stage).toBe('lead-1');
    expect(occasionOf(item({ urgency: 'today', daysLeft: 0 }))?.stage).toBe('today');
    expect(occasionOf(item({ urgency: 'overdue', daysLeft: -3 }))?.stage).toBe('overdue');
    const c = item({
      source: 'contracts',
      kind: 'contract',
      id: 'contract:ku:eset|contract-notice',
      why: 'contract-notice'
    });
    expect(occasionOf({ ...c, urgency: 'soon', remindDays: 30 })?.key).toBe(
      'contracts|contract:ku:eset|contract-notice|lead-30'
    );
  });

  it("a contract's publication in the register is not pushed (the register's deadline, not the contract's)", () => {
    const pub = item({ source: 'contracts', kind: 'contract', id: 'c|contract-publish', why: 'contract-publish' });
    expect(occasionOf({ ...pub, urgency: 'overdue' })).toBeNull();
  });

  it('a document at the step is one occasion per round and step, whatever its due date', () => {
    const a = item({ source: 'approvals', kind: 'invoice', id: 'apv-1', why: 'approval-prikazce', urgency: 'later' });
    expect(occasionOf(a, 1)?.key).toBe('approvals|apv-1|r1-approval-prikazce');
    expect(occasionOf(a, 2)?.key).toBe('approvals|apv-1|r2-approval-prikazce');
    expect(occasionOf({ ...a, why: 'approval-ucetni' }, 1)?.key).not.toBe(occasionOf(a, 1)?.key);
    // All occasions of one item share its topic, so a newer one replaces an undelivered older one.
    expect(occasionOf(a, 2)?.itemKey).toBe(occasionOf(a, 1)?.itemKey);
  });

  it('the tap opens the item', () => {
    expect(occasionUrl(item({}))).toBe('/tasks/task-1');
    expect(occasionUrl(item({ source: 'approvals', id: 'apv 1' }))).toBe('/approvals/apv%201');
    expect(occasionUrl(item({ source: 'contracts', id: 'contract:ku:eset|contract-expiry' }))).toBe(
      '/contracts/contract%3Aku%3Aeset'
    );
  });

  it('texts in Czech by default and in English when the device asked', () => {
    const soon = occasionOf(item({ urgency: 'soon', daysLeft: 3, remindDays: 7, due: '2026-12-03T12:00:00.000Z' }))!;
    expect(reminderPayload(soon)).toMatchObject({
      kind: 'reminder',
      title: 'Úkol: Inventura',
      body: 'Termín za 3 dny (2026-12-03)',
      url: '/tasks/task-1',
      tag: 'remind-tasks|task-1'
    });
    expect(reminderPayload(soon, 'en').body).toBe('Due in 3 days (2026-12-03)');
    const five = occasionOf(item({ urgency: 'soon', daysLeft: 5, remindDays: 7 }))!;
    expect(reminderPayload(five).body).toBe('Termín za 5 dní');
    const step = occasionOf(item({ source: 'approvals', id: 'a', title: 'FV-1 ACME', why: 'approval-ucetni' }), 1)!;
    expect(reminderPayload(step)).toMatchObject({
      title: 'Ke schválení: FV-1 ACME',
      body: 'Čeká na vaše schválení (hlavní účetní)'
    });
  });
});
