/** The shapes the dispatch domain reads; documents carry more fields than these. */
import type { EntryType, ReportType } from '../schemas/dispatch';
import type { LatLon } from './geo';

export interface DispatchEntry {
  id: string;
  orgId: string;
  entry: EntryType;
  district?: string;
  sectionId?: string;
  refId?: string;
  reportType?: ReportType;
  severity?: number;
  lat?: number;
  lon?: number;
  accuracy?: number;
  text?: string;
  mediaId?: string;
  crew?: string;
  vehicle?: string;
  startedAt?: string;
  endedAt?: string;
  method?: string;
  material?: string;
  amountT?: number;
  calamity?: boolean;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  receivedAt?: string;
}

export interface SectionRef {
  id: string;
  name?: string;
  road?: string;
  district: string;
  order: string;
  unmaintained?: boolean;
  lengthKm?: number;
  path?: readonly LatLon[];
  lastTreatedAt?: string;
}

export interface AlertDoc {
  id: string;
  district: string;
  title: string;
  text?: string;
  severity: number;
  createdBy: string;
  createdAt: string;
  receivedAt?: string;
}

export interface IzsDoc {
  id: string;
  entry: 'handoff' | 'receipt';
  handoffId?: string;
  refId?: string;
  district?: string;
  title?: string;
  text?: string;
  units?: string[];
  lat?: number;
  lon?: number;
  createdBy: string;
  createdAt: string;
  receivedAt?: string;
}
