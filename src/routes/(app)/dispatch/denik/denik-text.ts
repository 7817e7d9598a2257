/** A deník row in words, for the printed page and the CSV (the same text in both). */
import type { AlertDoc, DenikRow, DispatchEntry, IzsDoc } from '$lib/domain/dispatch';
import type { CsvColumn } from '$lib/domain/csv';
import { formatDateTime, m } from '$lib/i18n';
import { kindLabel, materialLabel, methodLabel, reportTypeLabel } from '../labels';
import type { Section } from '../winter-data.svelte';

export function denikWhat(row: DenikRow): string {
  const d = row.doc as Partial<Omit<DispatchEntry, 'entry'>> & Partial<Omit<IzsDoc, 'entry'>> & Partial<AlertDoc>;
  const text = d.text ? ` – ${d.text}` : '';
  switch (row.kind) {
    case 'report':
      return `${reportTypeLabel(d.reportType)}, ${m.winter_severity_label({ n: d.severity ?? 1 })}${d.lat !== undefined ? `, GPS ${d.lat.toFixed(5)}, ${d.lon?.toFixed(5)}${d.accuracy !== undefined ? ` ±${Math.round(d.accuracy)} m` : ''}` : ''}${d.mediaId ? `, ${m.winter_has_photo()}` : ''}${text}`;
    case 'treatment':
      return `${methodLabel(d.method)}${d.material ? `, ${materialLabel(d.material)}` : ''}${d.amountT !== undefined ? ` ${d.amountT} t` : ''}, ${formatDateTime(d.startedAt)}–${formatDateTime(d.endedAt)}${text}`;
    case 'assignment':
      return `${m.winter_assigned_to({ crew: d.crew ?? '' })}${d.vehicle ? ` (${d.vehicle})` : ''}${text}`;
    case 'calamity':
      return `${d.calamity ? m.winter_calamity_started() : m.winter_calamity_ended()}${text}`;
    case 'alert':
      return `${d.title}${text}`;
    case 'handoff':
      return `${d.title ?? ''}${text}`;
    case 'receipt':
      return m.winter_receipt_of({ id: d.handoffId ?? '' });
    case 'position':
      return `GPS ${d.lat?.toFixed(5)}, ${d.lon?.toFixed(5)}`;
    default:
      return (d.text ?? '').trim();
  }
}

export function denikColumns(sections: ReadonlyMap<string, Section>): CsvColumn<DenikRow & { n: number }>[] {
  return [
    { header: m.winter_col_no(), value: (r) => r.n },
    {
      header: m.winter_col_received(),
      value: (r) => (r.receivedAt ? formatDateTime(r.receivedAt) : '')
    },
    { header: m.winter_col_device(), value: (r) => formatDateTime(r.deviceAt) },
    { header: m.winter_col_who(), value: (r) => r.by },
    { header: m.winter_col_kind(), value: (r) => kindLabel(r.kind) },
    { header: m.winter_col_district(), value: (r) => r.district },
    {
      header: m.winter_col_section(),
      value: (r) =>
        r.sectionId
          ? `${sections.get(r.sectionId)?.road ?? ''} ${sections.get(r.sectionId)?.name ?? r.sectionId}`.trim()
          : ''
    },
    { header: m.winter_col_what(), value: (r) => denikWhat(r) },
    { header: m.winter_col_ref(), value: (r) => r.refId ?? '' },
    { header: m.winter_col_id(), value: (r) => r.id }
  ];
}
