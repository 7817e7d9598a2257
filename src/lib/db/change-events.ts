/**
 * The one live connection per browser: the server-sent event stream `/api/events` names
 * the databases that changed (`event: changed`, `data: {"dbs": [...]}`), asks for a full
 * catch-up (`event: resync`, when it cannot replay what a reconnecting client missed), or
 * says the user's access changed (`event: access`). A user of 140 organizations thus holds
 * one connection instead of a long-poll per database (browsers allow six per host).
 *
 * Read with `fetch`, not `EventSource`: EventSource gives up for good after one HTTP error
 * (a 500 or 502 while the store restarts, a 401), cannot send `Last-Event-ID` on a
 * connection it opens anew, and hides the status. Here every failure (HTTP error, network
 * error, a stream that ends, or one silent for longer than two heartbeats) reopens the
 * stream after a growing, jittered delay, and each reconnection sends the id of the last
 * event seen, so the server replays only what was missed instead of a resync of everything.
 */
import type { FetchLike } from './couch-http';

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

export interface SseEvent {
  type: string;
  data: string;
  id?: string;
}

/** Incremental parser of the event-stream format: feed it text as it arrives. */
export class SseParser {
  #buffer = '';
  #type = '';
  #data: string[] = [];
  #id: string | undefined;

  feed(chunk: string, emit: (ev: SseEvent) => void): void {
    this.#buffer += chunk;
    let nl: number;
    while ((nl = this.#buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.#buffer.slice(0, nl);
      this.#buffer = this.#buffer.slice(nl + (this.#buffer.startsWith('\r\n', nl) ? 2 : 1));
      this.#line(line, emit);
    }
  }

  #line(line: string, emit: (ev: SseEvent) => void): void {
    if (line === '') {
      if (this.#data.length || this.#type)
        emit({ type: this.#type || 'message', data: this.#data.join('\n'), id: this.#id });
      // An id without data (the server's heartbeat) still moves the resume point, as in EventSource.
      else if (this.#id !== undefined) emit({ type: 'id', data: '', id: this.#id });
      this.#type = '';
      this.#data = [];
      this.#id = undefined;
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') this.#type = value;
    else if (field === 'data') this.#data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.#id = value;
  }
}

export interface ChangeHandlers {
  changed: (dbs: string[]) => void;
  resyncAll: () => void;
  connected?: (open: boolean) => void;
  /** The server answered with an HTTP error (401: the session is gone). */
  failed?: (status: number) => void;
  /** The user's memberships changed on the server. */
  accessChanged?: () => void;
  /**
   * The stream's position moved (an event or a heartbeat's id), called after the event was
   * handled: everything it announced is marked to be read by then.
   */
  position?: (id: string) => void;
}

export interface ChangeEventsOptions {
  fetch?: FetchLike;
  /** Delay before the first reconnection, doubling up to `maxMs`. */
  backoff?: { initialMs: number; maxMs: number };
  /** A stream silent for this long is taken as dead (the server sends a heartbeat every 25 s). */
  idleMs?: number;
  /** Resume after this event id (the last one seen by an earlier stream). */
  lastEventId?: string;
}

export interface ChangeEventsHandle {
  close(): void;
  /** Id of the last event received (what a reconnection sends as `Last-Event-ID`). */
  readonly lastEventId: string | undefined;
}

/** Delay before reconnection attempt `n` (0-based): exponential, capped, with jitter. */
export function backoffDelay(n: number, initialMs: number, maxMs: number, random = Math.random): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.min(n, 20));
  return Math.round(base * (0.5 + random() / 2));
}

export function listenForChanges(
  url: string,
  handlers: ChangeHandlers,
  opts: ChangeEventsOptions = {}
): ChangeEventsHandle {
  const fetchFn: FetchLike = opts.fetch ?? ((input, init) => fetch(input, init));
  const { initialMs, maxMs } = opts.backoff ?? { initialMs: 1000, maxMs: 60_000 };
  const idleMs = opts.idleMs ?? 60_000;
  let lastEventId = opts.lastEventId;
  let stopped = false;
  let controller: AbortController | null = null;
  let wake: (() => void) | null = null;

  const handle = (ev: SseEvent) => {
    if (ev.type === 'access') return handlers.accessChanged?.();
    if (ev.type === 'ready' || ev.type === 'id') return;
    const dbs = parseChangeEvent(ev.type, ev.data);
    if (dbs === 'all') handlers.resyncAll();
    else if (dbs.length) handlers.changed(dbs);
  };
  const dispatch = (ev: SseEvent) => {
    if (ev.id) lastEventId = ev.id;
    handle(ev);
    if (ev.id) handlers.position?.(ev.id);
  };

  async function readOnce(): Promise<boolean> {
    controller = new AbortController();
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (lastEventId) headers['last-event-id'] = lastEventId;
    const res = await fetchFn(url, {
      headers,
      signal: controller.signal,
      cache: 'no-store',
      credentials: 'same-origin'
    });
    if (!res.ok || !res.body) {
      handlers.failed?.(res.status);
      await res.body?.cancel().catch(() => undefined);
      return false;
    }
    let opened = false;
    const parser = new SseParser();
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let idle = setTimeout(() => controller?.abort(), idleMs);
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done || stopped) break;
        clearTimeout(idle);
        idle = setTimeout(() => controller?.abort(), idleMs);
        parser.feed(value, (ev) => {
          if (!opened && ev.type === 'ready') {
            opened = true;
            handlers.connected?.(true);
          }
          dispatch(ev);
        });
      }
    } finally {
      clearTimeout(idle);
      reader.releaseLock();
    }
    return opened;
  }

  void (async () => {
    let attempt = 0;
    while (!stopped) {
      let opened = false;
      try {
        opened = await readOnce();
      } catch {
        // Network error, aborted or dead stream: reconnect below.
      }
      if (stopped) break;
      handlers.connected?.(false);
      // A stream that did open resets the delay: a server that closes idle streams is not failing.
      attempt = opened ? 0 : attempt + 1;
      const delay = backoffDelay(attempt, initialMs, maxMs);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, delay);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      wake = null;
    }
  })();

  return {
    close() {
      stopped = true;
      controller?.abort();
      wake?.();
    },
    get lastEventId() {
      return lastEventId;
    }
  };
}
