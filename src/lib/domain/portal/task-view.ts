/**
 * What the task screens show, from the tasks on the device: each task with its state and
 * who holds it, the issuer's roll-up per issue (per organization: state, holder, overdue;
 * "n of m done") and what waits for the signed-in user. Pure.
 */
import type { OrgInfo, Role, SessionUser } from '../access';
import { rolesInOrg } from '../access';
import type { TaskAction } from '../schemas/tasks';
import type { Unsent } from './approval';
import {
  allowedActions,
  taskState,
  type Actor,
  type Task,
  type TaskState,
  type TaskStatus,
  type TaskStep
} from './task-flow';
import { groupBy } from '../group-by';

type Doc = Record<string, unknown>;

export interface TaskRow {
  task: Task;
  status: TaskStatus;
  steps: TaskStep[];
  subTasks: Task[];
  subsDone: boolean;
  /** Who holds it now: the worker, else the director's organization, else the issuer. */
  holder: 'worker' | 'director' | 'issuer' | 'nobody';
  overdue: boolean;
  /** Steps the signed-in user may take now. */
  actions: TaskAction[];
}

const DONE: TaskState[] = ['reported', 'closed'];

export function actorFor(user: SessionUser, org: OrgInfo | undefined): Actor {
  const roles: Role[] = org ? rolesInOrg(user, org) : [];
  const deps = user.memberships.filter((m) => m.role === 'founder' && m.department).map((m) => m.department!);
  return { userId: user.id, roles, department: deps.find((d) => d === org?.founder) ?? deps[0] };
}

function holderOf(st: TaskState): TaskRow['holder'] {
  if (st === 'assigned') return 'worker';
  if (st === 'new' || st === 'accepted' || st === 'submitted' || st === 'returned') return 'director';
  if (st === 'reported') return 'issuer';
  return 'nobody';
}

export function taskRows(
  all: readonly Doc[],
  orgs: readonly OrgInfo[],
  user: SessionUser,
  now: string,
  unsent?: Unsent
): TaskRow[] {
  const steps = all.filter((d) => d.type === 'task-step') as unknown as TaskStep[];
  const tasks = all.filter((d) => d.type === 'task') as unknown as Task[];
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const orgById = new Map(orgs.map((o) => [o.id, o]));
  // Each task's steps and sub-tasks, found once: searching all of them for every task was
  // quadratic (1.5 s for 5,000 tasks). Both keep the documents' order.
  const stepsOf = groupBy(steps, (s) => s.parentId);
  const subTasksOf = groupBy(tasks, (t) => t.parentId);
  const rowOf = (task: Task): TaskRow => {
    const subTasks = subTasksOf.get(task.id) ?? [];
    const subStates = subTasks.map((s) => taskState(s, stepsOf.get(s.id) ?? [], true, unsent).state);
    const root = task.parentId ? (byId.get(task.parentId) ?? task) : task;
    return taskRowOf(
      task,
      stepsOf.get(task.id) ?? [],
      subTasks,
      subStates,
      root,
      orgById.get(task.orgId),
      user,
      now,
      unsent
    );
  };
  return tasks.map(rowOf);
}

/**
 * One task's row from the task, its own steps, its sub-tasks and their states (each judged as
 * if its own sub-tasks were done), and its root (the task it was split off, else itself).
 */
export function taskRowOf(
  task: Task,
  ownSteps: readonly TaskStep[],
  subTasks: readonly Task[],
  subStates: readonly TaskState[],
  root: Task,
  org: OrgInfo | undefined,
  user: SessionUser,
  now: string,
  unsent?: Unsent
): TaskRow {
  const subsDone = subStates.every((s) => s === 'confirmed');
  const status = taskState(task, [...ownSteps], subsDone, unsent);
  return {
    task,
    status,
    steps: status.steps,
    subTasks: [...subTasks],
    subsDone,
    holder: holderOf(status.state),
    overdue: isOverdue(task, status.state, now),
    actions: allowedActions(task, root, status, actorFor(user, org), subsDone)
  };
}

/** Past its due time and not yet done: depends on the clock, so lists work it out as they show it. */
export const isOverdue = (task: Task, state: TaskState, now: string): boolean =>
  !!task.dueAt && task.dueAt < now && !DONE.includes(state) && state !== 'confirmed';

export interface IssueRollup {
  issueId: string;
  title: string;
  issuedBy: string;
  dueAt?: string;
  /** Target organizations (m), also those whose copy this device cannot see. */
  targets: string[];
  rows: TaskRow[];
  done: number;
  overdue: number;
  byState: Partial<Record<TaskState, number>>;
}

/** The issuer's view: one entry per issue, newest first. */
export function rollups(rows: readonly TaskRow[]): IssueRollup[] {
  const out = new Map<string, IssueRollup>();
  for (const r of rows) {
    const id = r.task.issueId;
    if (!id || r.task.parentId) continue;
    let u = out.get(id);
    if (!u) {
      u = {
        issueId: id,
        title: r.task.title,
        issuedBy: r.task.issuedBy ?? '',
        dueAt: r.task.dueAt,
        targets: r.task.targets ?? [],
        rows: [],
        done: 0,
        overdue: 0,
        byState: {}
      };
      out.set(id, u);
    }
    u.rows.push(r);
    if (DONE.includes(r.status.state)) u.done++;
    if (r.overdue) u.overdue++;
    u.byState[r.status.state] = (u.byState[r.status.state] ?? 0) + 1;
  }
  return [...out.values()].sort((a, b) => (a.rows[0].task.createdAt < b.rows[0].task.createdAt ? 1 : -1));
}
