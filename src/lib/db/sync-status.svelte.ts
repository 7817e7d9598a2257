/**
 * Reactive sync status for the UI (Svelte 5 runes). All rules live in the pure reducer of
 * `sync-status.ts`; this class only holds its snapshot in `$state`.
 */
import {
  initialSync,
  progressRatio,
  reduceSync,
  refusedCount,
  syncSummary,
  unsentCount,
  type SyncEvent,
  type SyncSnapshot
} from './sync-status';

export class SyncStatus {
  #s = $state<SyncSnapshot>(initialSync(typeof navigator === 'undefined' ? true : navigator.onLine));

  apply = (ev: SyncEvent): void => {
    this.#s = reduceSync(this.#s, ev);
  };

  get snapshot(): SyncSnapshot {
    return this.#s;
  }
  get online() {
    return this.#s.online;
  }
  /** Unsent work: local edits and files not yet on the server. */
  get pending() {
    return unsentCount(this.#s);
  }
  /** Refused edits and files. */
  get rejected() {
    return refusedCount(this.#s);
  }
  get mediaPending() {
    return this.#s.mediaPending - this.#s.mediaRefused;
  }
  get mediaRefused() {
    return this.#s.mediaRefused;
  }
  get conflicts() {
    return this.#s.conflicts;
  }
  get lastSyncAt() {
    return this.#s.lastSyncAt;
  }
  get errors() {
    return this.#s.errors;
  }
  /** The device has synced at least once since it opened, or cannot ask now: a wait for data may end. */
  get syncedOrOffline() {
    return this.#s.lastSyncAt !== null || !this.#s.online;
  }
  /** What the status bar says (a code; the component words it). */
  get summary() {
    return syncSummary(this.#s);
  }
  get live() {
    return this.#s.live;
  }
  get progress() {
    return this.#s.progress;
  }
  /** 0..1 during the first sync, null otherwise. */
  get progressRatio() {
    return progressRatio(this.#s.progress);
  }
  get active() {
    return this.#s.active;
  }
  get leader() {
    return this.#s.leader;
  }
}
