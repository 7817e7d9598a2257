/**
 * How the service worker shows a push: winter alerts (one on the screen per district, the
 * severe ones stay until touched) and the inbox's reminders (one per item: `tag` from the
 * server). The tap opens `url`, only ever a path of this app. Pure.
 */
export interface PushData {
  kind?: string;
  id?: string;
  title?: string;
  body?: string;
  district?: string;
  severity?: number;
  url?: string;
  tag?: string;
}

export interface ShownNotification {
  title: string;
  body: string;
  tag: string;
  url: string;
  requireInteraction: boolean;
}

/** A path on this origin (`//host` and `/\host` would leave it). */
const ownPath = (u: unknown): u is string => typeof u === 'string' && /^\/(?![/\\])/.test(u);

export function notificationFor(data: PushData): ShownNotification {
  if (data.kind === 'reminder')
    return {
      title: data.title || 'Připomínka',
      body: data.body ?? '',
      tag: data.tag || `remind-${data.id ?? 'all'}`,
      url: ownPath(data.url) ? data.url : '/inbox',
      requireInteraction: false
    };
  return {
    title: data.title || 'Zimní výstraha',
    body: data.body ?? '',
    tag: `winter-${data.district ?? 'all'}`,
    url: ownPath(data.url) ? data.url : '/dispatch/alerts',
    requireInteraction: (data.severity ?? 0) >= 3
  };
}
