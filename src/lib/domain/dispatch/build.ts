/** New deník entries, alerts and IZS records, stamped with their author and device time. */
import { ROAD_MAINTENANCE_ORG } from '../access';
import type { AlertDoc, DispatchEntry } from './types';
import { receiptIdFor } from './rules';

type Fields = Omit<DispatchEntry, 'id' | 'orgId' | 'createdBy' | 'createdAt' | 'updatedAt' | 'receivedAt'>;

const rand = () => Math.random().toString(36).slice(2, 8);
const stamp = (userId: string, now: Date) => {
  const t = now.toISOString();
  return { createdBy: userId, createdAt: t, updatedBy: userId, updatedAt: t };
};

/** Ids sort by device time and never collide between devices. */
export function newId(prefix: string, userId: string, now: Date): string {
  return `${prefix}-${now.getTime().toString(36)}-${userId.replace(/[^a-z0-9]/g, '')}-${rand()}`.slice(0, 100);
}

export function newEntry(fields: Fields, userId: string, now = new Date()): DispatchEntry & { updatedBy: string } {
  const clean = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== '')) as Fields;
  return { id: newId('disp', userId, now), orgId: ROAD_MAINTENANCE_ORG, ...clean, ...stamp(userId, now) };
}

export function newAlert(
  f: { district: string; title: string; text?: string; severity: number },
  userId: string,
  now = new Date()
): AlertDoc & { updatedBy: string; updatedAt: string } {
  const { text, ...rest } = f;
  return { id: newId('alert', userId, now), ...rest, ...(text ? { text } : {}), ...stamp(userId, now) };
}

export function newHandoff(
  f: { district: string; title: string; text?: string; refId?: string; lat?: number; lon?: number },
  userId: string,
  now = new Date()
) {
  const clean = Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined && v !== ''));
  return { id: newId('handoff', userId, now), entry: 'handoff' as const, ...clean, ...stamp(userId, now) };
}

export function newReceipt(handoffId: string, userId: string, now = new Date()) {
  return { id: receiptIdFor(handoffId), entry: 'receipt' as const, handoffId, ...stamp(userId, now) };
}
