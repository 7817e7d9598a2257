/**
 * The server's judgement of a write to an organization's tasks database (pure). The gateway
 * loads the issued task and everything under it (sub-tasks, every step) and the organization
 * (which department founded it), and holds the database's writes in line while it judges.
 */
import type { OrgInfo } from '../access';
import { refusal, type Refusal } from './approval';
import {
  subTaskIdPrefix,
  judgeStep,
  taskState,
  type Actor,
  type Task,
  type TaskStatus,
  type TaskStep
} from './task-flow';

type Doc = Record<string, unknown>;

export interface TaskDbState {
  org: OrgInfo | undefined;
  related: Map<string, Doc>;
}

/** The issued task whose key range holds everything about `doc`: ids nest under it. */
export function taskRangeFor(doc: Doc): string {
  const id = String(doc.type === 'task-step' ? doc.parentId : doc.id);
  return id.split(':sub:')[0];
}

const TASK_FIELDS = [
  'title',
  'description',
  'issueId',
  'issuedBy',
  'targets',
  'dueAt',
  'remindDays',
  'parentId',
  'assignee',
  'mediaIds'
];
const STEP_FIELDS = ['parentId', 'action', 'text', 'assignee', 'mediaId', 'at'];

export function subTasksOf(related: Map<string, Doc>, taskId: string): Task[] {
  return [...related.values()].filter((d) => d.type === 'task' && d.parentId === taskId) as unknown as Task[];
}
export function stepsOf(related: Map<string, Doc>): TaskStep[] {
  return [...related.values()].filter((d) => d.type === 'task-step') as unknown as TaskStep[];
}

export function statusIn(related: Map<string, Doc>, task: Task): { status: TaskStatus; subsDone: boolean } {
  const steps = stepsOf(related);
  const subsDone = subTasksOf(related, task.id).every((s) => taskState(s, steps).state === 'confirmed');
  return { status: taskState(task, steps, subsDone), subsDone };
}

function checkShape(doc: Doc): Refusal | null {
  const own = doc.type === 'task' ? TASK_FIELDS : STEP_FIELDS;
  const other = (doc.type === 'task' ? STEP_FIELDS : TASK_FIELDS).find((f) => f in doc && !own.includes(f));
  if (other) return refusal('foreign-field', `a ${String(doc.type)} has no ${other}`, { field: other });
  const need = doc.type === 'task' ? ['title'] : ['parentId', 'action', 'at'];
  const missing = need.find((f) => doc[f] === undefined || doc[f] === '');
  return missing ? refusal('missing-field', `a ${String(doc.type)} needs ${missing}`, { field: missing }) : null;
}

function judgeNewTask(task: Task, actor: Actor, state: TaskDbState): Refusal | null {
  if (task.parentId) {
    const parent = state.related.get(task.parentId) as unknown as Task | undefined;
    if (!parent || parent.parentId)
      return refusal('parent-missing', `task ${task.parentId} does not exist (yet) on the server`);
    if (!task.id.startsWith(subTaskIdPrefix(parent.id)))
      return refusal('subtask-id', `a sub-task's id must start with ${subTaskIdPrefix(parent.id)}`);
    if (!actor.roles.includes('manager'))
      return refusal('not-director', 'only the director splits a task into sub-tasks');
    if (!task.assignee) return refusal('assignee-missing', 'a sub-task needs the worker it is for');
    const { status } = statusIn(state.related, parent);
    if (!['accepted', 'returned'].includes(status.state))
      return refusal('wrong-state', `a task that is ${status.state} cannot be split`, {
        state: status.state,
        action: 'split'
      });
    return null;
  }
  if (actor.roles.includes('admin')) return null;
  if (!actor.roles.includes('founder') || !actor.department)
    return refusal('not-founder', 'only a founding department issues tasks to organizations');
  if (task.issuedBy !== actor.department)
    return refusal('issued-by', `a task you issue is issued by your department (${actor.department})`, {
      department: actor.department
    });
  if (state.org?.founder !== actor.department)
    return refusal('not-founded', `${state.org?.id ?? 'this organization'} was not founded by ${actor.department}`, {
      org: state.org?.id ?? '',
      department: actor.department
    });
  if (!task.issueId || !task.dueAt || !task.targets?.includes(task.orgId))
    return refusal(
      'issue-fields',
      'an issued task needs its issue id, a deadline and its organization among the targets'
    );
  return null;
}

export function judgeTaskWrite(
  input: { actor: Actor; before: Doc | null; after: Doc },
  state: TaskDbState
): Refusal | null {
  const { actor, before, after } = input;
  const shape = checkShape(after);
  if (shape) return shape;
  if (before && before.type !== after.type) return refusal('immutable', 'the type may not change', { field: 'type' });
  if (after.type === 'task-step') {
    if (before) return refusal('step-immutable', 'a step is a record and may not be changed');
    const task = state.related.get(String(after.parentId)) as unknown as Task | undefined;
    if (!task || (task as unknown as Doc).type !== 'task')
      return refusal('parent-missing', `task ${String(after.parentId)} does not exist (yet) on the server`);
    const root = task.parentId ? ((state.related.get(task.parentId) as unknown as Task | undefined) ?? task) : task;
    const { status, subsDone } = statusIn(state.related, task);
    return judgeStep({ task, root, status, subsDone, actor, step: after as unknown as TaskStep });
  }
  const task = after as unknown as Task;
  if (!before) return judgeNewTask(task, actor, state);
  for (const f of ['issueId', 'issuedBy', 'parentId', 'targets'] as const) {
    if (JSON.stringify(before[f]) !== JSON.stringify(after[f]))
      return refusal('immutable', `${f} may not change`, { field: f });
  }
  const mayEdit = task.parentId
    ? actor.roles.includes('manager')
    : actor.department === task.issuedBy && actor.roles.includes('founder');
  if (!mayEdit)
    return refusal(
      'not-editor',
      task.parentId ? 'only the director changes a sub-task' : 'only the issuing department changes the task'
    );
  if (task.parentId && before.assignee !== after.assignee)
    return refusal('immutable', 'the worker of a sub-task does not change; make a new sub-task', { field: 'assignee' });
  return null;
}

export function acceptTaskWrite(
  input: { actor: Actor; before: Doc | null; after: Doc },
  state: TaskDbState
): Refusal | null {
  const r = judgeTaskWrite(input, state);
  if (!r) state.related.set(String(input.after.id), input.after);
  return r;
}
