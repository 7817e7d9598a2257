/** Words for who a ticket is with: a queue, or a person in it. */
import type { Assignee } from '$lib/domain/schemas';
import { m } from '$lib/i18n';

export const SYSTEM_USER_ID = 'system';

export function assigneeLabel(a: Assignee | undefined, names: ReadonlyMap<string, string>): string {
  if (!a) return m.assign_nobody();
  const queue = a.queue === 'central' ? m.assign_central() : m.assign_contractor();
  return a.userId ? `${names.get(a.userId) ?? a.userId} (${queue})` : queue;
}
