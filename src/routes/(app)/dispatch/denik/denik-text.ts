/** A deník row in words, for the printed page and the CSV (the same text in both). */
import type { AlertDoc, DenikRow, DispatchEntry, IzsDoc } from '$lib/domain/dispatch';
import type { CsvColumn } from '$lib/domain/csv';
import { formatDateTime, m } from '$lib/i18n';
import { districtLabel, kindLabel, materialLabel, methodLabel, reportTypeLabel, severityWord } from '../labels';
import type { Section } from '../winter-data.svelte';

/** What the deník needs besides the rows: the sections, people's names, and the day's row numbers. */
export interface DenikContext {
  sections: ReadonlyMap<string, Section>;
  /** A person's name from the directory; their login where the directory has no card. */
  nameOf: (userId: string) => string;
  /** The row number of an entry shown the same day, for "refers to". */
  numberOf: (entryId: string) => number | undefined;
  /**
   * How the receipt and device times are written: the screen's page is one day, named above
   * the table, so the time is enough there; the CSV's rows carry the date too (the default).
   */
  at?: (iso: string) => string;
}

/** An entry referred to: its row number when the day shows it, else its identifier. */
const refText = (id: string, ctx?: Pick<DenikContext, 'numberOf'>) => {
  const n = ctx?.numberOf(id);
  return n === undefined ? id : m.winter_ref_row({ n });
};

export function denikWhat(row: DenikRow, ctx?: Pick<DenikContext, 'nameOf' | 'numberOf'>): string {
  const nameOf = ctx?.nameOf ?? ((id: string) => id);
  const d = row.doc as Partial<Omit<DispatchEntry, 'entry'>> & Partial<Omit<IzsDoc, 'entry'>> & Partial<AlertDoc>;
  const text = d.text ? ` – ${d.text}` : '';
  switch (row.kind) {
    case 'report':
      return `${reportTypeLabel(d.reportType)}, ${m.winter_severity_label({ level: severityWord(d.severity) })}${d.lat !== undefined ? `, GPS ${d.lat.toFixed(5)}, ${d.lon?.toFixed(5)}${d.accuracy !== undefined ? ` ±${Math.round(d.accuracy)} m` : ''}` : ''}${d.mediaId ? `, ${m.winter_has_photo()}` : ''}${text}`;
    case 'treatment':
      return `${methodLabel(d.method)}${d.material ? `, ${materialLabel(d.material)}` : ''}${d.amountT !== undefined ? ` ${d.amountT} t` : ''}, ${formatDateTime(d.startedAt)}–${formatDateTime(d.endedAt)}${text}`;
    case 'assignment':
      return `${m.winter_assigned_to({ crew: d.crew ? nameOf(d.crew) : '' })}${d.vehicle ? ` (${d.vehicle})` : ''}${text}`;
    case 'calamity':
      return `${d.calamity ? m.winter_calamity_started() : m.winter_calamity_ended()}${text}`;
    case 'alert':
      return `${d.title}${text}`;
    case 'handoff':
      return `${d.title ?? ''}${text}`;
    case 'receipt':
      return m.winter_receipt_of({ id: d.handoffId ? refText(d.handoffId, ctx) : '' });
    case 'position':
      return `GPS ${d.lat?.toFixed(5)}, ${d.lon?.toFixed(5)}`;
    default:
      return (d.text ?? '').trim();
  }
}

/**
 * The columns: the first nine are the page's (the printed deník), the CSV has them and the
 * identifiers (the entry's and the writer's login) for joining with other records.
 */
export function denikColumns(ctx: DenikContext): CsvColumn<DenikRow & { n: number }>[] {
  const { sections } = ctx;
  const at = ctx.at ?? formatDateTime;
  return [
    { header: m.winter_col_no(), value: (r) => r.n },
    {
      header: m.winter_col_received(),
      value: (r) => (r.receivedAt ? at(r.receivedAt) : '')
    },
    { header: m.winter_col_device(), value: (r) => at(r.deviceAt) },
    { header: m.winter_col_who(), value: (r) => ctx.nameOf(r.by) },
    { header: m.winter_col_kind(), value: (r) => kindLabel(r.kind) },
    { header: m.winter_col_district(), value: (r) => (r.district ? districtLabel(r.district) : '') },
    {
      header: m.winter_col_section(),
      value: (r) =>
        r.sectionId
          ? `${sections.get(r.sectionId)?.road ?? ''} ${sections.get(r.sectionId)?.name ?? r.sectionId}`.trim()
          : ''
    },
    { header: m.winter_col_what(), value: (r) => denikWhat(r, ctx) },
    { header: m.winter_col_ref(), value: (r) => (r.refId ? refText(r.refId, ctx) : '') },
    { header: m.winter_col_id(), value: (r) => r.id },
    { header: m.winter_col_login(), value: (r) => r.by }
  ];
}
