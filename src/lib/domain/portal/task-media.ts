/**
 * Files a founding department attaches to the tasks it issues. The files live where the
 * organization's own evidence lives, in the target organization's `media` database (so every
 * reader of the task there, director, worker, helpdesk, gets them like any other file of the
 * organization, offline once synced), each with `ref: "tasks/<task id>"`.
 *
 * A founder's rights there are narrow: it writes only its own files and only ones that name a
 * task of that organization issued by its department; it reads only such files, one at a time
 * (never the organization's listing of media: ticket photos and invoice scans are not its
 * business). Pure; the server reads the task and supplies it.
 */
import type { SessionUser } from '../access';

export const TASK_REF_PREFIX = 'tasks/';

export const taskRef = (taskId: string) => `${TASK_REF_PREFIX}${taskId}`;

/** The task a file names, or null. */
export function taskIdOfRef(ref: unknown): string | null {
  return typeof ref === 'string' && ref.startsWith(TASK_REF_PREFIX) && ref.length > TASK_REF_PREFIX.length
    ? ref.slice(TASK_REF_PREFIX.length)
    : null;
}

/** Departments a user acts for as founder. */
export const departmentsOf = (user: SessionUser): string[] =>
  user.memberships.filter((m) => m.role === 'founder' && m.department).map((m) => m.department!);

/** The shape part (no other document needed): the file names a task. */
export function founderMediaShape(file: Record<string, unknown>): string | null {
  return taskIdOfRef(file.ref)
    ? null
    : 'a founding department attaches files only to the tasks it issues (ref "tasks/<task id>")';
}

/**
 * Whether the task a file names lets this founder write or read it: a task of this
 * organization (not a director's sub-task) issued by one of the user's departments.
 */
export function founderMayUseTaskFile(
  user: SessionUser,
  orgId: string,
  task: Record<string, unknown> | null | undefined,
  taskId: string
): string | null {
  if (!task || task.type !== 'task') return `the task ${taskId} does not exist in this organization`;
  if (task.orgId !== orgId || task.parentId) return `the task ${taskId} is not a task issued to this organization`;
  if (!departmentsOf(user).includes(String(task.issuedBy ?? '')))
    return `the task ${taskId} was issued by another department; only its issuer attaches or reads its files`;
  return null;
}

/** The files attached to tasks (the issuer's documents), as organization and media id. */
export function issuedFilesOf(rows: readonly { task: { orgId: string } }[]): { orgId: string; mediaId: string }[] {
  return rows.flatMap((r) =>
    (((r.task as { mediaIds?: unknown }).mediaIds as string[] | undefined) ?? []).map((mediaId) => ({
      orgId: r.task.orgId,
      mediaId
    }))
  );
}
