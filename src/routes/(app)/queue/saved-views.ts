/**
 * Saved queue views: a name and a filter, kept on this device per user (localStorage), so an
 * agent's "KT breached" view survives reloads and offline use and never leaks to another
 * person signing in on the same desk.
 */
import { queueViewsKey } from '$lib/db/local-names';
import { normalizeFilter, type QueueFilter } from './queue-filter';
import { compareCzech } from '$lib/domain/czech-order';

export interface SavedView {
  name: string;
  filter: QueueFilter;
}

type KeyValue = Pick<Storage, 'getItem' | 'setItem'>;

const viewsKey = queueViewsKey;

export function loadViews(store: KeyValue, userId: string): SavedView[] {
  try {
    const raw: unknown = JSON.parse(store.getItem(viewsKey(userId)) ?? '[]');
    if (!Array.isArray(raw)) return [];
    return raw
      .filter((v): v is { name: string; filter: unknown } => !!v && typeof v.name === 'string' && v.name.trim() !== '')
      .map((v) => ({ name: v.name, filter: normalizeFilter(v.filter) }));
  } catch {
    return [];
  }
}

/** Saves under `name`, replacing a view of the same name; returns the new list. */
export function saveView(store: KeyValue, userId: string, name: string, filter: QueueFilter): SavedView[] {
  const clean = name.trim().slice(0, 60);
  if (!clean) return loadViews(store, userId);
  const views = loadViews(store, userId).filter((v) => v.name !== clean);
  views.push({ name: clean, filter: { ...filter } });
  views.sort((a, b) => compareCzech(a.name, b.name));
  store.setItem(viewsKey(userId), JSON.stringify(views));
  return views;
}

export function removeView(store: KeyValue, userId: string, name: string): SavedView[] {
  const views = loadViews(store, userId).filter((v) => v.name !== name);
  store.setItem(viewsKey(userId), JSON.stringify(views));
  return views;
}
