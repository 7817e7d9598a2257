/**
 * Contracts in the "my work" inbox of their responsible person: expiry and the notice
 * deadline once the contract's reminder lead is reached (the inbox policy for `contract`, or
 * the contract's own `remindDays`), and a publication the register of contracts still waits
 * for. An item's id is the contract's and the reason (`<contractId>|<reason>`), since one
 * contract can wait on its person for two things at once.
 */
import { pragueDate } from '../access';
import type { InboxItem } from '../portal/inbox';
import { DEFAULT_REMINDERS, leadsFor, timing, type ReminderPolicy } from '../portal/reminders';
import { contractReminders, type Contract, type PublicationRule } from './contracts';

export const CONTRACT_INBOX_SOURCE = 'contracts';

const leads = (c: Contract, policy: ReminderPolicy) =>
  leadsFor('contract', c.remindDays ? [c.remindDays] : undefined, policy);

export function contractInboxItems(
  contracts: readonly Contract[],
  ctx: { userId: string; now: Date | number; rules: readonly PublicationRule[]; policy?: ReminderPolicy }
): InboxItem[] {
  const policy = ctx.policy ?? DEFAULT_REMINDERS;
  const byId = new Map(contracts.map((c) => [c.id, c]));
  return contractReminders(contracts, {
    userId: ctx.userId,
    today: pragueDate(ctx.now),
    rules: ctx.rules,
    leadOf: (c) => Math.max(0, ...leads(c, policy))
  }).map((r) => ({
    source: CONTRACT_INBOX_SOURCE,
    kind: 'contract',
    id: `${r.contractId}|${r.reason}`,
    orgId: r.orgId,
    title: r.title,
    why: r.reason,
    due: r.due,
    ...timing(r.due, ctx.now, leads(byId.get(r.contractId)!, policy))
  }));
}

/** The contract an inbox item is about. */
export const contractOfItem = (item: Pick<InboxItem, 'id'>) => item.id.split('|')[0];
