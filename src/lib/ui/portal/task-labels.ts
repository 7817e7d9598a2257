import type { TaskState } from '$lib/domain/portal/task-flow';

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
