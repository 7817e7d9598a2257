import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cacheMe, forgetMe, normalizeMe } from '$lib/api';
import type { InboxItem } from '$lib/domain/portal/inbox';
import {
  forgetInboxSnapshot,
  readInboxSnapshot,
  rememberOrgNames,
  SNAPSHOT_LIMIT,
  writeInboxSnapshot
} from './inbox-snapshot';

/** The browser's localStorage, as far as the snapshot uses it; `full` refuses every write. */
class MemoryStorage {
  data = new Map<string, string>();
  full = false;
  getItem(k: string) {
    return this.data.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    if (this.full) throw new DOMException('quota', 'QuotaExceededError');
    this.data.set(k, v);
  }
  removeItem(k: string) {
    this.data.delete(k);
  }
}

const item = (id: string, orgId = 'gym-kt'): InboxItem => ({
  source: 'tickets',
  kind: 'ticket',
  id,
  orgId,
  title: `Požadavek ${id}`,
  why: 'answer',
  urgency: 'today'
});

let storage: MemoryStorage;
beforeEach(() => {
  storage = new MemoryStorage();
  vi.stubGlobal('localStorage', storage);
  cacheMe(normalizeMe({ user: { id: 'u1', name: 'U', memberships: [] }, databases: [] }));
  forgetInboxSnapshot();
});
afterEach(() => vi.unstubAllGlobals());

describe('inbox snapshot', () => {
  it('gives back the inbox of the person who left it, and nothing to anyone else', () => {
    writeInboxSnapshot('u1', [item('a'), item('b')], false);
    expect(readInboxSnapshot('u1')).toEqual({
      userId: 'u1',
      items: [item('a'), item('b')],
      truncated: false,
      orgNames: {}
    });
    expect(readInboxSnapshot('u2')).toBeNull();
  });

  it('keeps at most SNAPSHOT_LIMIT items and then says the count is a lower bound', () => {
    const many = Array.from({ length: SNAPSHOT_LIMIT + 3 }, (_, i) => item(String(i)));
    writeInboxSnapshot('u1', many, false);
    const s = readInboxSnapshot('u1')!;
    expect(s.items).toHaveLength(SNAPSHOT_LIMIT);
    expect(s.truncated).toBe(true);
  });

  it('keeps the short names of the items’ organizations once the inbox screen has shown them', () => {
    writeInboxSnapshot('u1', [item('a', 'gym-kt')], false);
    rememberOrgNames(
      'u1',
      new Map([
        ['gym-kt', 'GymKT'],
        ['zs-1', 'ZŠ 1']
      ])
    );
    expect(readInboxSnapshot('u1')!.orgNames).toEqual({ 'gym-kt': 'GymKT' });
    // A later write (the inbox changed) keeps the names it knows, for the organizations it lists.
    writeInboxSnapshot('u1', [item('a', 'gym-kt'), item('b', 'zs-1')], false);
    expect(readInboxSnapshot('u1')!.orgNames).toEqual({ 'gym-kt': 'GymKT', 'zs-1': 'ZŠ 1' });
  });

  it('is gone after a sign-out, and a refused write leaves no stale copy behind', () => {
    writeInboxSnapshot('u1', [item('a')], false);
    forgetInboxSnapshot();
    expect(readInboxSnapshot('u1')).toBeNull();

    writeInboxSnapshot('u1', [item('a')], false);
    storage.full = true;
    writeInboxSnapshot('u1', [item('a'), item('b')], false);
    expect(readInboxSnapshot('u1')).toBeNull();
  });

  it('reads a damaged copy as none', () => {
    storage.setItem('ict.inbox', '{not json');
    expect(readInboxSnapshot('u1')).toBeNull();
    storage.setItem('ict.inbox', JSON.stringify({ userId: 'u1', items: 'x' }));
    expect(readInboxSnapshot('u1')).toBeNull();
  });

  it('is not kept once the session is gone from the device (a sign-out in another window)', () => {
    forgetMe();
    writeInboxSnapshot('u1', [item('a')], false);
    expect(readInboxSnapshot('u1')).toBeNull();
    cacheMe(normalizeMe({ user: { id: 'u2', name: 'V', memberships: [] }, databases: [] }));
    writeInboxSnapshot('u1', [item('a')], false);
    expect(readInboxSnapshot('u1')).toBeNull();
  });
});
