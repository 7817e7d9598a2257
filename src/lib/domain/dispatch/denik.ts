/**
 * The deník zimní údržby of one district and one day: every deník entry, alert, IZS hand-off
 * and receipt of that district, in the order the server received them (the order that counts
 * as evidence), each with its author, its device time and its server receipt time. An entry
 * whose receipt time this device does not know (not sent yet) takes its place by device time.
 * A day is a calendar day in Prague.
 */
import { TZDate } from '@date-fns/tz';
import type { AlertDoc, DispatchEntry, IzsDoc } from './types';

export type DenikKind = DispatchEntry['entry'] | 'alert' | 'handoff' | 'receipt';

export interface DenikRow {
  id: string;
  kind: DenikKind;
  district: string;
  by: string;
  deviceAt: string;
  receivedAt?: string;
  sectionId?: string;
  refId?: string;
  /** The source document, for the details each kind shows. */
  doc: DispatchEntry | AlertDoc | IzsDoc;
}

/** `YYYY-MM-DD` of an instant in Prague. */
export function pragueDay(ms: number): string {
  const d = new TZDate(ms, 'Europe/Prague');
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

const decides = (r: Pick<DenikRow, 'receivedAt' | 'deviceAt'>) => Date.parse(r.receivedAt ?? r.deviceAt);

export interface DenikInput {
  entries: readonly DispatchEntry[];
  izs?: readonly IzsDoc[];
  alerts?: readonly AlertDoc[];
}

export function denikRows(input: DenikInput): DenikRow[] {
  const handoffDistrict = new Map(
    (input.izs ?? []).filter((d) => d.entry === 'handoff').map((d) => [d.id, d.district ?? ''])
  );
  const rows: DenikRow[] = [
    ...input.entries.map((e) => ({
      id: e.id,
      kind: e.entry,
      district: e.district ?? '',
      by: e.createdBy,
      deviceAt: e.createdAt,
      receivedAt: e.receivedAt,
      sectionId: e.sectionId,
      refId: e.refId,
      doc: e
    })),
    ...(input.alerts ?? []).map((a) => ({
      id: a.id,
      kind: 'alert' as const,
      district: a.district,
      by: a.createdBy,
      deviceAt: a.createdAt,
      receivedAt: a.receivedAt,
      doc: a
    })),
    ...(input.izs ?? []).map((d) => ({
      id: d.id,
      kind: d.entry,
      district: d.entry === 'receipt' ? (handoffDistrict.get(d.handoffId ?? '') ?? '') : (d.district ?? ''),
      by: d.createdBy,
      deviceAt: d.createdAt,
      receivedAt: d.receivedAt,
      refId: d.entry === 'receipt' ? d.handoffId : d.refId,
      doc: d
    }))
  ];
  return rows.sort((a, b) => decides(a) - decides(b) || a.id.localeCompare(b.id));
}

/** One district's day (or every district's, with `district` empty). */
export function denikDay(input: DenikInput, district: string, day: string): DenikRow[] {
  return denikRows(input).filter((r) => (!district || r.district === district) && pragueDay(decides(r)) === day);
}
