/** Words for the winter module's codes, through the message files. */
import type { DenikKind, SectionStatus } from '$lib/domain/dispatch';
import type { ReportType } from '$lib/domain/schemas';
import { m } from '$lib/i18n';

export const reportTypeLabel = (t: string | undefined): string =>
  (
    ({
      snow: m.winter_type_snow,
      slush: m.winter_type_slush,
      packed_snow: m.winter_type_packed_snow,
      black_ice: m.winter_type_black_ice,
      freezing_rain: m.winter_type_freezing_rain,
      drifts: m.winter_type_drifts,
      snow_tongues: m.winter_type_snow_tongues,
      fallen_tree: m.winter_type_fallen_tree,
      stuck_vehicle: m.winter_type_stuck_vehicle,
      accident: m.winter_type_accident,
      closure: m.winter_type_closure
    }) as Record<ReportType, () => string>
  )[t as ReportType]?.() ?? String(t ?? '');

export const statusLabel = (s: SectionStatus): string =>
  ({
    ok: m.winter_status_ok,
    due: m.winter_status_due,
    overdue: m.winter_status_overdue,
    calamity: m.winter_status_calamity,
    unmaintained: m.winter_status_unmaintained
  })[s]();

export const kindLabel = (k: DenikKind): string =>
  ({
    report: m.winter_kind_report,
    treatment: m.winter_kind_treatment,
    confirmation: m.winter_kind_confirmation,
    assignment: m.winter_kind_assignment,
    calamity: m.winter_kind_calamity,
    position: m.winter_kind_position,
    log: m.winter_kind_log,
    correction: m.winter_kind_correction,
    alert: m.winter_kind_alert,
    handoff: m.winter_kind_handoff,
    receipt: m.winter_kind_receipt
  })[k]();

export const methodLabel = (v: string | undefined): string =>
  ({ gritting: m.winter_method_gritting, ploughing: m.winter_method_ploughing, both: m.winter_method_both })[
    v as 'both'
  ]?.() ?? '';

export const materialLabel = (v: string | undefined): string =>
  ({
    salt: m.winter_material_salt,
    brine: m.winter_material_brine,
    grit: m.winter_material_grit,
    none: m.winter_material_none
  })[v as 'salt']?.() ?? '';

export const districtLabel = (d: string): string =>
  ({
    PM: m.winter_district_PM,
    PS: m.winter_district_PS,
    PJ: m.winter_district_PJ,
    KT: m.winter_district_KT,
    DO: m.winter_district_DO,
    TC: m.winter_district_TC,
    RO: m.winter_district_RO
  })[d as 'PM']?.() ?? d;

/** Colours of section states, report types and calamity, shared by the map, its legend and the lists. */
export const STATUS_COLOR: Record<SectionStatus, string> = {
  ok: '#1a7f37',
  due: '#b35900',
  overdue: '#c62828',
  calamity: '#6a1b9a',
  unmaintained: '#6b7280'
};

export const REPORT_COLOR: Record<string, string> = {
  snow: '#1565c0',
  slush: '#4f83cc',
  packed_snow: '#0d47a1',
  black_ice: '#00838f',
  freezing_rain: '#006064',
  drifts: '#5c6bc0',
  snow_tongues: '#7986cb',
  fallen_tree: '#2e7d32',
  stuck_vehicle: '#ef6c00',
  accident: '#c62828',
  closure: '#000000'
};

/** A report's severity (1–3) in a word ("Střední"). */
export const severityLabel = (n: number | undefined): string =>
  ([m.winter_severity_1, m.winter_severity_2, m.winter_severity_3][(n ?? 1) - 1] ?? m.winter_severity_1)();

/** The same in lower case, for running text ("závažnost: střední"). */
export const severityWord = (n: number | undefined): string => severityLabel(n).toLocaleLowerCase();
