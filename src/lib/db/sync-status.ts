/**
 * What the user is told about synchronisation, as a pure reducer so that every rule is
 * testable without a browser: online means the browser says so AND the last request did
 * not fail at the network level; an HTTP error is not "offline" but an error with a reason;
 * errors are deduplicated by key and capped so a server down for an hour does not grow a
 * list of thousands; first-sync progress never exceeds 100 %.
 */

export interface SyncError {
  /** Stable key: the same failure repeated replaces its entry instead of adding one. */
  key: string;
  /** `network`, `http`, `auth` (session expired), `rejected`, `internal`. */
  kind: 'network' | 'http' | 'auth' | 'rejected' | 'internal';
  message: string;
  status?: number;
  at: string;
}

export interface SyncProgress {
  pulled: number;
  expected: number;
  done: boolean;
}

export interface SyncSnapshot {
  online: boolean;
  browserOnline: boolean;
  networkFailing: boolean;
  /** Local changes not yet on the server. */
  pending: number;
  /** Documents the server refused, kept on the device. */
  rejected: number;
  /** Edits that lost a merge, kept for the user to look at. */
  conflicts: number;
  /** Photos and documents made on this device not yet on the server. */
  mediaPending: number;
  /** Of those, files the server refused (shown with the reason). */
  mediaRefused: number;
  lastSyncAt: string | null;
  errors: SyncError[];
  progress: SyncProgress | null;
  active: boolean;
  /** This tab runs the replication (others follow through the shared database). */
  leader: boolean;
  /** The live-update stream: never opened here, open, or interrupted (since when); the last gap it recovered from. */
  live: LiveState;
}

export interface LiveState {
  state: 'none' | 'connected' | 'interrupted';
  /** When it opened or was interrupted. */
  since: string | null;
  /** The last interruption it came back from: changes made meanwhile were then fetched. */
  lastGap: { from: string; to: string } | null;
}

export const MAX_ERRORS = 20;

export type SyncEvent =
  | { type: 'browser-online'; online: boolean }
  | { type: 'request-ok'; at: string }
  | { type: 'request-failed'; at: string; status?: number; message: string; key: string }
  | { type: 'synced'; at: string }
  | { type: 'active'; active: boolean }
  | {
      type: 'counts';
      pending?: number;
      rejected?: number;
      conflicts?: number;
      mediaPending?: number;
      mediaRefused?: number;
    }
  | { type: 'first-sync-expected'; expected: number }
  | { type: 'pulled'; count: number }
  | { type: 'leader'; leader: boolean }
  /** The live-update stream opened (again) or was lost. */
  | { type: 'live'; connected: boolean; at: string }
  | { type: 'clear-error'; key: string }
  /** The leader tab's view, for tabs that do not replicate themselves. */
  | { type: 'shared'; state: SharedSyncState };

export type SharedSyncState = Pick<SyncSnapshot, 'lastSyncAt' | 'errors' | 'progress' | 'active'> &
  // Absent in a state a tab of an earlier version shared.
  Partial<Pick<SyncSnapshot, 'live'>>;

export function sharedPart(s: SyncSnapshot): SharedSyncState {
  return { lastSyncAt: s.lastSyncAt, errors: s.errors, progress: s.progress, active: s.active, live: s.live };
}

export function initialSync(browserOnline: boolean): SyncSnapshot {
  return {
    online: browserOnline,
    browserOnline,
    networkFailing: false,
    pending: 0,
    rejected: 0,
    conflicts: 0,
    mediaPending: 0,
    mediaRefused: 0,
    lastSyncAt: null,
    errors: [],
    progress: null,
    active: false,
    leader: false,
    live: { state: 'none', since: null, lastGap: null }
  };
}

export function errorKind(status: number | undefined): SyncError['kind'] {
  if (status === undefined || status === 0) return 'network';
  if (status === 401) return 'auth';
  return 'http';
}

function withError(errors: SyncError[], e: SyncError): SyncError[] {
  return [...errors.filter((x) => x.key !== e.key), e].slice(-MAX_ERRORS);
}

export function reduceSync(s: SyncSnapshot, ev: SyncEvent): SyncSnapshot {
  switch (ev.type) {
    case 'browser-online': {
      // Coming back online clears the failure optimistically; the next request confirms it.
      const networkFailing = ev.online ? false : s.networkFailing;
      return { ...s, browserOnline: ev.online, networkFailing, online: ev.online && !networkFailing };
    }
    case 'request-ok':
      return {
        ...s,
        networkFailing: false,
        online: s.browserOnline,
        errors: s.errors.filter((e) => e.kind !== 'network' && e.kind !== 'auth' && e.kind !== 'http')
      };
    case 'request-failed': {
      const kind = errorKind(ev.status);
      const networkFailing = kind === 'network';
      const error: SyncError = { key: ev.key, kind, message: ev.message, status: ev.status, at: ev.at };
      return { ...s, networkFailing, online: s.browserOnline && !networkFailing, errors: withError(s.errors, error) };
    }
    case 'synced': {
      const progress = s.progress
        ? { ...s.progress, done: true, pulled: Math.max(s.progress.pulled, s.progress.expected) }
        : null;
      return { ...s, lastSyncAt: ev.at, progress };
    }
    case 'active':
      return s.active === ev.active ? s : { ...s, active: ev.active };
    case 'counts':
      return {
        ...s,
        pending: ev.pending ?? s.pending,
        rejected: ev.rejected ?? s.rejected,
        conflicts: ev.conflicts ?? s.conflicts,
        mediaPending: ev.mediaPending ?? s.mediaPending,
        mediaRefused: ev.mediaRefused ?? s.mediaRefused
      };
    case 'first-sync-expected':
      return { ...s, progress: { pulled: s.progress?.pulled ?? 0, expected: Math.max(0, ev.expected), done: false } };
    case 'pulled': {
      if (!s.progress || s.progress.done) return s;
      return { ...s, progress: { ...s.progress, pulled: Math.min(s.progress.expected, s.progress.pulled + ev.count) } };
    }
    case 'leader':
      return { ...s, leader: ev.leader };
    case 'live': {
      const was = s.live;
      if (ev.connected) {
        if (was.state === 'connected') return s;
        const lastGap = was.state === 'interrupted' && was.since ? { from: was.since, to: ev.at } : was.lastGap;
        return { ...s, live: { state: 'connected', since: ev.at, lastGap } };
      }
      // Only a stream that was open can be interrupted; one that never opened is "connecting".
      if (was.state !== 'connected') return s;
      return { ...s, live: { state: 'interrupted', since: ev.at, lastGap: was.lastGap } };
    }
    case 'clear-error':
      return { ...s, errors: s.errors.filter((e) => e.key !== ev.key) };
    case 'shared':
      return s.leader ? s : { ...s, ...ev.state };
  }
}

/** Everything made on the device and not on the server yet: edits and files (refused files excluded: they are problems). */
export function unsentCount(s: SyncSnapshot): number {
  return s.pending + s.mediaPending - s.mediaRefused;
}

/** Refused edits and refused files. */
export function refusedCount(s: SyncSnapshot): number {
  return s.rejected + s.mediaRefused;
}

/** A first sync is writing the device's first copy (progress counted and not yet done). */
export const firstSyncRunning = (p: SyncProgress | null | undefined): p is SyncProgress => !!p && !p.done;

/** 0..1, or null when there is no first sync to show, or nothing yet to measure it against. */
export function progressRatio(p: SyncProgress | null): number | null {
  if (!firstSyncRunning(p) || p.expected === 0) return null;
  return Math.min(1, p.pulled / p.expected);
}

/**
 * What the status bar says, as a code with its parameters (the component turns it into words
 * in the person's language): offline; a problem (refused work or a server error, shown with
 * its reason); unsent work; live updates interrupted and nothing read since (changes are then
 * checked every minute); or synced at a time. A live stream that came back after a gap is
 * `synced`, with the gap.
 */
export type SyncSummary =
  | { code: 'offline' }
  | { code: 'problem'; errors: string[]; rejected: number }
  | { code: 'pending'; count: number }
  | { code: 'live-interrupted'; since: string }
  | { code: 'synced'; at: string; gap: LiveState['lastGap'] }
  | { code: 'connecting' };

export function syncSummary(s: SyncSnapshot): SyncSummary {
  if (!s.online) return { code: 'offline' };
  const problems = s.errors.filter((e) => e.kind !== 'network');
  if (refusedCount(s) > 0 || problems.length > 0)
    return { code: 'problem', errors: problems.map((e) => e.message), rejected: refusedCount(s) };
  if (unsentCount(s) > 0) return { code: 'pending', count: unsentCount(s) };
  // Caught up since the stream was lost (the app reads every minute without it): that is "synced".
  const { state, since } = s.live;
  if (state === 'interrupted' && since && !(s.lastSyncAt && s.lastSyncAt > since))
    return { code: 'live-interrupted', since };
  if (s.lastSyncAt) return { code: 'synced', at: s.lastSyncAt, gap: s.live.lastGap };
  return { code: 'connecting' };
}
