/** CSV of an issue's roll-up (pure). */
import type { CsvColumn } from '$lib/domain/csv';
import type { TaskRow } from '$lib/domain/portal/task-view';

export function rollupColumns(
  h: { org: string; state: string; holder: string; due: string; overdue: string },
  label: { org: (id: string) => string; state: (r: TaskRow) => string; holder: (r: TaskRow) => string; yes: string }
): CsvColumn<TaskRow>[] {
  return [
    { header: h.org, value: (r) => label.org(r.task.orgId) },
    { header: h.state, value: label.state },
    { header: h.holder, value: label.holder },
    { header: h.due, value: (r) => r.task.dueAt?.slice(0, 10) ?? '' },
    { header: h.overdue, value: (r) => (r.overdue ? label.yes : '') }
  ];
}
