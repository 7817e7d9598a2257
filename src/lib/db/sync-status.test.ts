import { describe, expect, it } from 'vitest';
import {
  MAX_ERRORS,
  initialSync,
  syncSummary,
  progressRatio,
  firstSyncRunning,
  reduceSync,
  refusedCount,
  unsentCount,
  type SyncEvent,
  type SyncSnapshot
} from './sync-status';

const run = (events: SyncEvent[], start: SyncSnapshot = initialSync(true)) => events.reduce(reduceSync, start);
const at = '2025-01-06T08:00:00.000Z';

describe('sync status', () => {
  it('is offline when the browser says so, and online again only after it says so', () => {
    const s = run([{ type: 'browser-online', online: false }]);
    expect(s.online).toBe(false);
    expect(run([{ type: 'browser-online', online: true }], s).online).toBe(true);
  });

  it('counts a network failure as offline even if the browser claims to be online', () => {
    const s = run([{ type: 'request-failed', at, message: 'Failed to fetch', key: 'pull:tickets' }]);
    expect(s.online).toBe(false);
    expect(s.errors).toMatchObject([{ kind: 'network' }]);
    const back = run([{ type: 'request-ok', at }], s);
    expect(back.online).toBe(true);
    expect(back.errors).toEqual([]);
  });

  it.each([
    [401, 'auth'],
    [403, 'http'],
    [500, 'http']
  ])('an HTTP %i is an error of kind %s, not offline', (status, kind) => {
    const s = run([{ type: 'request-failed', at, status, message: 'x', key: 'push:tickets' }]);
    expect(s.online).toBe(true);
    expect(s.errors[0].kind).toBe(kind);
  });

  it('keeps one entry per failure key and caps the list', () => {
    const repeated = Array.from({ length: 5 }, (): SyncEvent => ({
      type: 'request-failed',
      at,
      status: 500,
      message: 'down',
      key: 'k'
    }));
    expect(run(repeated).errors).toHaveLength(1);
    const many = Array.from({ length: 50 }, (_, i): SyncEvent => ({
      type: 'request-failed',
      at,
      status: 500,
      message: 'down',
      key: `k${i}`
    }));
    const s = run(many);
    expect(s.errors).toHaveLength(MAX_ERRORS);
    expect(s.errors.at(-1)!.key).toBe('k49');
  });

  it('shows first-sync progress capped at the expected count and done after the sync', () => {
    let s = run([
      { type: 'first-sync-expected', expected: 100 },
      { type: 'pulled', count: 60 }
    ]);
    expect(progressRatio(s.progress)).toBeCloseTo(0.6);
    expect(firstSyncRunning(s.progress)).toBe(true);
    s = run([{ type: 'pulled', count: 80 }], s);
    expect(s.progress!.pulled).toBe(100);
    s = run([{ type: 'synced', at }], s);
    expect(s.lastSyncAt).toBe(at);
    expect(progressRatio(s.progress)).toBeNull();
    expect(firstSyncRunning(s.progress)).toBe(false);
    // A device that started with its copy counts no first sync.
    expect(firstSyncRunning(run([]).progress)).toBe(false);
    // Running, with nothing counted yet to measure it against: no bar.
    const unknown = run([{ type: 'first-sync-expected', expected: 0 }]).progress;
    expect(firstSyncRunning(unknown)).toBe(true);
    expect(progressRatio(unknown)).toBeNull();
  });

  it('takes counts of pending, rejected and conflicting documents', () => {
    const s = run([
      { type: 'counts', pending: 3 },
      { type: 'counts', rejected: 1 }
    ]);
    expect([s.pending, s.rejected, s.conflicts]).toEqual([3, 1, 0]);
  });

  it('counts unsent files as unsent work and refused files as refusals', () => {
    const s = run([
      { type: 'counts', pending: 2, rejected: 1 },
      { type: 'counts', mediaPending: 3, mediaRefused: 1 }
    ]);
    expect([unsentCount(s), refusedCount(s)]).toEqual([4, 2]);
  });

  it('follows the leader tab only while it is not the leader itself', () => {
    const shared = { lastSyncAt: at, errors: [], progress: null, active: true };
    expect(run([{ type: 'shared', state: shared }]).lastSyncAt).toBe(at);
    expect(
      run([
        { type: 'leader', leader: true },
        { type: 'shared', state: shared }
      ]).lastSyncAt
    ).toBeNull();
  });
});

describe('the live-update stream and what the status bar says', () => {
  const t = (m: number) => `2026-11-30T10:${String(m).padStart(2, '0')}:00.000Z`;
  it('says live updates are interrupted (since when), then synced with the gap it recovered from', () => {
    const open = run([
      { type: 'live', connected: true, at: t(0) },
      { type: 'synced', at: t(1) }
    ]);
    expect(syncSummary(open)).toEqual({ code: 'synced', at: t(1), gap: null });
    const lost = run([{ type: 'live', connected: false, at: t(2) }], open);
    expect(syncSummary(lost)).toEqual({ code: 'live-interrupted', since: t(2) });
    const back = run(
      [
        { type: 'live', connected: true, at: t(5) },
        { type: 'synced', at: t(6) }
      ],
      lost
    );
    expect(syncSummary(back)).toEqual({ code: 'synced', at: t(6), gap: { from: t(2), to: t(5) } });
    // Read again without the stream (the minute's catch-up): synced, not interrupted.
    expect(syncSummary(run([{ type: 'synced', at: t(3) }], lost))).toMatchObject({ code: 'synced', at: t(3) });
  });

  it('does not call a stream that never opened interrupted, and ranks offline, problems and unsent work first', () => {
    expect(run([{ type: 'live', connected: false, at: t(0) }]).live.state).toBe('none');
    const lost = run([
      { type: 'live', connected: true, at: t(0) },
      { type: 'live', connected: false, at: t(1) }
    ]);
    expect(syncSummary(run([{ type: 'counts', pending: 2 }], lost))).toEqual({ code: 'pending', count: 2 });
    const failed = run(
      [{ type: 'request-failed', at: t(2), status: 503, message: 'the database server is not reachable', key: 'k' }],
      lost
    );
    expect(syncSummary(failed)).toEqual({
      code: 'problem',
      errors: ['the database server is not reachable'],
      rejected: 0
    });
    expect(syncSummary(run([{ type: 'request-failed', at: t(2), message: 'fetch failed', key: 'n' }], lost))).toEqual({
      code: 'offline'
    });
  });
});
