/** Words for SLA states and durations in the current language. */
import type { SlaState } from '../../domain/sla';
import { m } from '../../i18n';
import { splitMinutes } from './sla-view';

export function slaStateLabel(state: SlaState): string {
  switch (state) {
    case 'running':
      return m.sla_running();
    case 'due_soon':
      return m.sla_due_soon();
    case 'breached':
      return m.sla_breached();
    case 'paused':
      return m.sla_paused();
    case 'met':
      return m.sla_met();
  }
}

export function durationLabel(minutes: number): string {
  const { hours, minutes: mins } = splitMinutes(minutes);
  return hours > 0 ? m.sla_hours_minutes({ hours, minutes: mins }) : m.sla_minutes({ minutes: mins });
}
