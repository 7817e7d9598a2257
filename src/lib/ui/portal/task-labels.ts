import type { TaskState } from '$lib/domain/portal/task-flow';
import type { TaskAction } from '$lib/domain/schemas';
import { m } from '$lib/i18n';

/** States in the order a task passes them, for charts and legends. */
export const TASK_STATES_ORDER: TaskState[] = [
  'new',
  'accepted',
  'assigned',
  'submitted',
  'returned',
  'reported',
  'closed'
];

export function taskStateLabel(s: TaskState): string {
  switch (s) {
    case 'new':
      return m.task_state_new();
    case 'accepted':
      return m.task_state_accepted();
    case 'assigned':
      return m.task_state_assigned();
    case 'submitted':
      return m.task_state_submitted();
    case 'confirmed':
      return m.task_state_confirmed();
    case 'reported':
      return m.task_state_reported();
    case 'returned':
      return m.task_state_returned();
    case 'closed':
      return m.task_state_closed();
  }
}

export function taskActionLabel(a: TaskAction): string {
  switch (a) {
    case 'accept':
      return m.task_action_accept();
    case 'assign':
      return m.task_action_assign();
    case 'comment':
      return m.task_action_comment();
    case 'evidence':
      return m.task_action_evidence();
    case 'done':
      return m.task_action_done();
    case 'return':
      return m.task_action_return();
    case 'confirm':
      return m.task_action_confirm();
    case 'report':
      return m.task_action_report();
    case 'return-up':
      return m.task_action_return_up();
    case 'accept-up':
      return m.task_action_accept_up();
  }
}
