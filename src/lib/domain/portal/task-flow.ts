/**
 * Tasks down the chain and back up. A founding department issues a task to an organization;
 * its director accepts it and passes it to one worker or splits it into sub-tasks; the worker
 * marks it done; the director returns it or reports it up; the department accepts it back or
 * returns it with a reason. Every step is its own append-only document under the task
 * (`<taskId>:step:<suffix>`), replayed in the server's receipt order, so two devices acting
 * offline never overwrite each other: the later step is judged against the earlier one.
 *
 * `judgeStep` is the rule (who may take which step in which state); the gateway applies it
 * with the roles held when the step arrives, the screens apply it to offer only what is
 * allowed. `taskState` replays stored steps with the transitions only (the server judged
 * their authors when it received them).
 */
import type { Role } from '../access';
import type { TaskAction } from '../schemas/tasks';
import { receiptKey, refusal, type Refusal, type Unsent } from './approval';

export interface Task {
  id: string;
  orgId: string;
  title: string;
  description?: string;
  issueId?: string;
  issuedBy?: string;
  targets?: string[];
  dueAt?: string;
  /** Reminder lead times (days before `dueAt`) the issuer chose; else the policy's (`reminders.ts`). */
  remindDays?: number[];
  parentId?: string;
  assignee?: string;
  createdBy: string;
  createdAt: string;
}

export interface TaskStep {
  id: string;
  parentId: string;
  action: TaskAction;
  createdBy: string;
  at: string;
  text?: string;
  assignee?: string;
  mediaId?: string;
  receivedAt?: string;
}

/**
 * new: issued, the director has not taken it on; accepted: the director holds it (or split it);
 * assigned: a worker holds it; submitted: the worker says done, the director checks;
 * confirmed: a sub-task the director checked; reported: done, the department checks;
 * returned: the department sent it back to the director; closed: accepted by the department.
 */
export type TaskState =
  'new' | 'accepted' | 'assigned' | 'submitted' | 'confirmed' | 'reported' | 'returned' | 'closed';

export interface TaskStatus {
  state: TaskState;
  /** The worker it was passed to, if any. */
  assignee: string | null;
  /** Steps that counted, in receipt order. */
  steps: TaskStep[];
  /** The last reason given with a return. */
  returnReason: string | null;
}

/** Who acts on a task: `department` is the founder department a user speaks for. */
export interface Actor {
  userId: string;
  roles: readonly Role[];
  department?: string;
}

export const stepIdPrefix = (taskId: string) => `${taskId}:step:`;
export const subTaskIdPrefix = (taskId: string) => `${taskId}:sub:`;

export function byStepReceipt(a: TaskStep, b: TaskStep, unsent?: Unsent): number {
  const ra = receiptKey(a.id, a.receivedAt, a.at, unsent);
  const rb = receiptKey(b.id, b.receivedAt, b.at, unsent);
  if (ra !== rb) return ra < rb ? -1 : 1;
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

const isSub = (t: Task) => t.parentId !== undefined;

/** The state a step leads to, or null when it cannot be taken in `from`. */
function transition(task: Task, from: TaskState, action: TaskAction, subsDone: boolean): TaskState | null {
  switch (action) {
    case 'comment':
    case 'evidence':
      return from === 'closed' || from === 'confirmed' ? null : from;
    case 'accept':
      return !isSub(task) && from === 'new' ? 'accepted' : null;
    case 'assign':
      return !isSub(task) && ['new', 'accepted', 'returned', 'assigned'].includes(from) ? 'assigned' : null;
    case 'done':
      return from === 'assigned' ? 'submitted' : null;
    case 'return':
      return from === 'submitted' ? 'assigned' : null;
    case 'confirm':
      return isSub(task) && from === 'submitted' ? 'confirmed' : null;
    case 'report':
      return !isSub(task) && (from === 'submitted' || ((from === 'accepted' || from === 'returned') && subsDone))
        ? 'reported'
        : null;
    case 'return-up':
    case 'accept-up':
      return !isSub(task) && from === 'reported' ? (action === 'accept-up' ? 'closed' : 'returned') : null;
  }
}

function initial(task: Task): TaskStatus {
  return { state: isSub(task) ? 'assigned' : 'new', assignee: task.assignee ?? null, steps: [], returnReason: null };
}

function apply(task: Task, st: TaskStatus, step: TaskStep, subsDone: boolean): TaskStatus | null {
  const next = transition(task, st.state, step.action, subsDone);
  if (!next) return null;
  return {
    state: next,
    assignee: step.action === 'assign' ? (step.assignee ?? null) : st.assignee,
    steps: [...st.steps, step],
    returnReason: step.action === 'return' || step.action === 'return-up' ? (step.text ?? '') : st.returnReason
  };
}

/** A task's state from its steps; `subsDone`: every sub-task of it is confirmed (or there are none). */
export function taskState(task: Task, steps: readonly TaskStep[], subsDone = true, unsent?: Unsent): TaskStatus {
  let st = initial(task);
  for (const s of steps.filter((x) => x.parentId === task.id).sort((a, b) => byStepReceipt(a, b, unsent)))
    st = apply(task, st, s, subsDone) ?? st;
  return st;
}

const MANAGER_ACTIONS: TaskAction[] = ['accept', 'assign', 'return', 'confirm', 'report'];
const ISSUER_ACTIONS: TaskAction[] = ['return-up', 'accept-up'];

function isIssuer(task: Task, actor: Actor, root: Task): boolean {
  return actor.roles.includes('founder') && !!actor.department && actor.department === (root.issuedBy ?? task.issuedBy);
}

/** Whether `actor` may add `step` to `task` in its current status. */
export function judgeStep(input: {
  task: Task;
  /** The issued task a sub-task belongs to (the task itself otherwise). */
  root: Task;
  status: TaskStatus;
  step: TaskStep;
  actor: Actor;
  subsDone: boolean;
}): Refusal | null {
  const { task, root, status, step, actor } = input;
  if (step.parentId !== task.id) return refusal('wrong-task', `the step belongs to ${step.parentId}, not ${task.id}`);
  if (!step.id.startsWith(stepIdPrefix(task.id)))
    return refusal('step-id', `a step's id must start with ${stepIdPrefix(task.id)}`);
  const manager = actor.roles.includes('manager');
  const worker = status.assignee === actor.userId;
  const issuer = isIssuer(task, actor, root);
  if (MANAGER_ACTIONS.includes(step.action) && !manager)
    return refusal('not-director', `only the organization's director may ${step.action} a task`, {
      action: step.action
    });
  if (ISSUER_ACTIONS.includes(step.action) && !issuer)
    return refusal(
      'not-issuer',
      `only the issuing department (${root.issuedBy ?? '?'}) may accept the task back or return it`,
      {
        issuer: root.issuedBy ?? ''
      }
    );
  if (step.action === 'done' && !worker)
    return refusal(
      'not-assignee',
      `only the worker the task was passed to (${status.assignee ?? 'nobody yet'}) marks it done`,
      {
        assignee: status.assignee ?? ''
      }
    );
  if ((step.action === 'comment' || step.action === 'evidence') && !(manager || worker || issuer))
    return refusal('not-involved', 'only the director, the worker and the issuing department write on a task');
  if (step.action === 'assign' && !step.assignee) return refusal('assignee-missing', 'say who the task is passed to');
  if (step.action === 'evidence' && !step.mediaId)
    return refusal('media-missing', 'evidence needs a document or photo');
  if ((step.action === 'return' || step.action === 'return-up') && !step.text?.trim())
    return refusal('reason-required', 'a return needs a reason');
  if (!transition(task, status.state, step.action, input.subsDone))
    return refusal('wrong-state', `a task that is ${status.state} cannot take the step ${step.action}`, {
      state: status.state,
      action: step.action
    });
  return null;
}

/** Steps `actor` may take now (for the screens). */
export function allowedActions(
  task: Task,
  root: Task,
  status: TaskStatus,
  actor: Actor,
  subsDone: boolean
): TaskAction[] {
  const all: TaskAction[] = ['accept', 'assign', 'done', 'return', 'confirm', 'report', 'return-up', 'accept-up'];
  return all.filter(
    (action) =>
      !judgeStep({
        task,
        root,
        status,
        subsDone,
        actor,
        step: {
          id: stepIdPrefix(task.id),
          parentId: task.id,
          action,
          createdBy: actor.userId,
          at: '',
          text: 'x',
          assignee: 'x',
          mediaId: 'x'
        }
      })
  );
}
