/**
 * The one live connection per browser: the server-sent event stream `/api/events` names
 * the databases that changed (`event: changed`, `data: {"dbs": [...]}`), or asks for a
 * full catch-up (`event: resync`, when it cannot replay what a reconnecting client missed).
 * A user of 140 organizations thus holds one connection instead of a long-poll per
 * database (browsers allow six per host). EventSource reconnects by itself and sends
 * Last-Event-ID, so the server replays what happened in between.
 */

/** Database names in an event's data; `all` when the event asks for a full resync. Tolerant of shapes. */
export function parseChangeEvent(type: string, data: string): string[] | 'all' {
  if (type === 'resync') return 'all';
  let body: unknown;
  try {
    body = JSON.parse(data);
  } catch {
    return [];
  }
  if (Array.isArray(body)) return body.filter((x): x is string => typeof x === 'string');
  if (body && typeof body === 'object') {
    const b = body as { dbs?: unknown; db?: unknown; resync?: unknown };
    if (b.resync === true) return 'all';
    if (Array.isArray(b.dbs)) return b.dbs.filter((x): x is string => typeof x === 'string');
    if (typeof b.db === 'string') return [b.db];
  }
  return [];
}

export interface ChangeEventsHandle {
  close(): void;
}

export function listenForChanges(
  url: string,
  handlers: { changed: (dbs: string[]) => void; resyncAll: () => void; connected?: (open: boolean) => void }
): ChangeEventsHandle {
  if (typeof EventSource === 'undefined') return { close() {} };
  const source = new EventSource(url, { withCredentials: true });
  const onEvent = (ev: MessageEvent) => {
    const dbs = parseChangeEvent(ev.type, typeof ev.data === 'string' ? ev.data : '');
    if (dbs === 'all') handlers.resyncAll();
    else if (dbs.length) handlers.changed(dbs);
  };
  source.addEventListener('changed', onEvent);
  source.addEventListener('resync', onEvent);
  source.addEventListener('message', onEvent);
  source.addEventListener('open', () => handlers.connected?.(true));
  source.addEventListener('error', () => handlers.connected?.(false));
  return { close: () => source.close() };
}
