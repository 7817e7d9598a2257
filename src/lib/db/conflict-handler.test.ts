import { describe, expect, it } from 'vitest';
import { DERIVED_FIELDS } from './derived-fields';
import { createConflictHandler, resolveStates, signMerge } from './conflict-handler';
import type { DocState } from './couch-doc';
import type { RejectedEntry } from './sync-issues';
import type { FieldConflict } from '../domain/merge';

const base: DocState = {
  id: 't1',
  orgId: 'o1',
  title: 'Printer',
  priority: 'P3',
  status: 'new',
  events: [{ id: 'e1', at: '2025-01-01T08:00:00Z', by: 'a', kind: 'comment', text: 'first' }],
  updatedAt: '2025-01-01T08:00:00Z',
  updatedBy: 'a',
  _deleted: false
};
const event = (id: string, at: string) => ({ id, at, by: 'b', kind: 'comment', text: id });

describe('merging a local edit with the server version', () => {
  it('keeps edits of different fields and both sides of the history', () => {
    const local = {
      ...base,
      title: 'Printer jams',
      events: [...(base.events as object[]), event('e2', '2025-01-01T09:00:00Z')],
      updatedAt: '2025-01-01T09:00:00Z'
    };
    const remote = {
      ...base,
      priority: 'P1',
      events: [...(base.events as object[]), event('e3', '2025-01-01T09:30:00Z')],
      updatedAt: '2025-01-01T09:30:00Z'
    };
    const { doc, conflicts } = resolveStates(base, local, remote, ['events']);
    expect(doc).toMatchObject({ title: 'Printer jams', priority: 'P1', _deleted: false });
    expect((doc.events as { id: string }[]).map((e) => e.id)).toEqual(['e1', 'e2', 'e3']);
    expect(conflicts).toEqual([]);
  });

  it('keeps the later edit of a field edited on both sides and reports the other', () => {
    const local = { ...base, status: 'waiting', updatedAt: '2025-01-01T09:00:00Z', updatedBy: 'a' };
    const remote = { ...base, status: 'resolved', updatedAt: '2025-01-01T10:00:00Z', updatedBy: 'b' };
    const { doc, conflicts } = resolveStates(base, local, remote, ['events']);
    expect(doc.status).toBe('resolved');
    expect(conflicts).toMatchObject([{ field: 'status', kept: 'resolved', lost: 'waiting' }]);
  });

  it('keeps a local edit over a deletion on the server, and reports the lost deletion', () => {
    const local = { ...base, title: 'Still broken' };
    const { doc, conflicts } = resolveStates(base, local, { id: 't1', _deleted: true }, []);
    expect(doc).toMatchObject({ title: 'Still broken', _deleted: false });
    expect(conflicts).toMatchObject([{ field: '_deleted', lost: true }]);
  });

  it('lets a local deletion stand when the server did not change the document', () => {
    const { doc } = resolveStates(
      base,
      { ...base, _deleted: true },
      { ...base, receivedAt: '2025-01-01T08:00:01Z' },
      []
    );
    expect(doc._deleted).toBe(true);
  });

  it('records lost values in the conflict store and merges a refused document against its recorded server state', async () => {
    const recorded: FieldConflict[] = [];
    const serverAtRefusal = { ...base };
    const rejected = new Map<string, RejectedEntry>([
      [
        't1',
        { docId: 't1', code: 'forbidden', reason: 'x', doc: { ...base, title: 'Mine' }, serverDoc: serverAtRefusal }
      ]
    ]);
    let rebasedTo: DocState | null = null;
    const handler = createConflictHandler({
      collection: 'tickets',
      appendOnly: ['events'],
      editConflictsField: false,
      issues: {
        rejectedFor: async () => rejected,
        rebaseRejected: async (_c, _id, d) => {
          rebasedTo = d;
        },
        recordConflicts: async (_c, _id, cs) => {
          recorded.push(...cs);
        },
        clearPushed: async () => undefined
      }
    });
    // RxDB assumes the refused version is on the server; the real base is the recorded one.
    const refusedVersion = { ...base, title: 'Mine' };
    const remote = { ...base, priority: 'P2', updatedAt: '2025-01-02T00:00:00Z' };
    const out = await handler.resolve(
      { assumedMasterState: refusedVersion, newDocumentState: refusedVersion, realMasterState: remote },
      'test'
    );
    expect(out).toMatchObject({ title: 'Mine', priority: 'P2' });
    expect(recorded).toEqual([]);
    expect(rebasedTo).toEqual(remote);
    expect(handler.isEqual({ ...base, _meta: { lwt: 1 } } as DocState, base, 'x')).toBe(true);
  });
});

describe('what the server stamps and who signs a merge', () => {
  const doc = (extra: Record<string, unknown>) =>
    ({
      id: 't',
      _deleted: false,
      title: 'A',
      updatedBy: 'a',
      updatedAt: '2026-01-01T00:00:00.000Z',
      ...extra
    }) as DocState;
  it('tells apart versions differing only in receivedAt, so the pulled, stamped version is stored', () => {
    const h = createConflictHandler({
      collection: 'tickets',
      appendOnly: [],
      editConflictsField: false,
      issues: {} as never
    });
    expect(h.isEqual(doc({}), doc({ receivedAt: '2026-01-01T00:00:01.000Z' }), 'downstream-check-if-equal-1')).toBe(
      false
    );
    expect(h.isEqual(doc({ _meta: { lwt: 1 } }), doc({}), 'x')).toBe(true);
  });
  it("resolves the device's edit against the server's stamped copy of it to the server's version, unsigned", async () => {
    const h = createConflictHandler({
      collection: 'tickets',
      appendOnly: ['events'],
      editConflictsField: false,
      userId: 'me',
      issues: {
        rejectedFor: async () => new Map(),
        rebaseRejected: async () => undefined,
        recordConflicts: async () => {
          throw new Error('no conflict to record');
        },
        clearPushed: async () => undefined
      }
    });
    const mine = doc({});
    const stamped = doc({ receivedAt: '2026-01-01T00:00:01.000Z' });
    const out = await h.resolve(
      { newDocumentState: mine, assumedMasterState: mine, realMasterState: stamped },
      'replication-resolve-conflict'
    );
    expect(out).toBe(stamped);
  });
  it("lets a deletion stand that was made before the server's stamped copy of the device's own edit came back", () => {
    const sent = {
      ...base,
      events: [...(base.events as object[]), event('e2', '2025-01-01T09:00:00Z')],
      updatedAt: '2025-01-01T09:00:00Z'
    };
    // The server stamps the document and each new event with its receipt time.
    const stamped = {
      ...sent,
      receivedAt: '2025-01-01T09:00:01Z',
      events: (sent.events as object[]).map((e) => ({ ...e, receivedAt: '2025-01-01T09:00:01Z' }))
    };
    const deleted = { ...sent, _deleted: true };
    const { doc, conflicts } = resolveStates(sent, deleted, stamped, ['events']);
    expect(doc._deleted).toBe(true);
    expect(conflicts).toEqual([]);
    // Someone else's change on the server still wins over the deletion, and is reported.
    const changed = { ...stamped, title: 'Printer on fire' };
    expect(resolveStates(sent, deleted, changed, ['events']).doc._deleted).toBe(false);
  });
  it('signs a merge that will be pushed by the current user, and leaves one equal to the server alone', () => {
    const remote = doc({ updatedBy: 'b', updatedAt: '2026-01-02T00:00:00.000Z' });
    expect(signMerge({ ...remote, title: 'B' }, remote, 'me')).toMatchObject({ updatedBy: 'me', title: 'B' });
    expect(signMerge(remote, remote, 'me')).toBe(remote);
  });
});

describe('an edit that loses a field to a later edit of another person', () => {
  it("keeps the loser's value in editConflicts and signs the result as the pushing user's write", async () => {
    const at = (h: number) => `2026-11-30T${String(h).padStart(2, '0')}:00:00.000Z`;
    const server: DocState = { ...base, title: 'Printer', updatedBy: 'a', updatedAt: at(8) };
    const local = { ...server, title: 'Mine, earlier', updatedBy: 'me', updatedAt: at(9) };
    const remote = { ...server, title: 'Theirs, later', updatedBy: 'other', updatedAt: at(10) };
    const handler = createConflictHandler({
      collection: 'tickets',
      appendOnly: ['events'],
      editConflictsField: true,
      userId: 'me',
      issues: {
        rejectedFor: async () => new Map(),
        rebaseRejected: async () => undefined,
        recordConflicts: async () => undefined,
        clearPushed: async () => undefined
      }
    });
    const out = await handler.resolve(
      { assumedMasterState: server, newDocumentState: local, realMasterState: remote },
      'test'
    );
    expect(out.title).toBe('Theirs, later');
    expect(out.editConflicts).toMatchObject([{ field: 'title', lost: '"Mine, earlier"', kept: '"Theirs, later"' }]);
    // Pushed as the device user's write: the gateway accepts only the session user as updatedBy.
    expect(out.updatedBy).toBe('me');
  });
});

describe('a push whose answer was lost after the server wrote it', () => {
  const sent: DocState = {
    id: 'tk-1',
    orgId: 'gym-kt',
    title: 'Projector',
    status: 'new',
    events: [],
    updatedBy: 'ucitel.gymkt',
    updatedAt: '2026-11-30T10:00:00.000Z',
    _deleted: false
  };
  // Routing assigned the ticket on the way in; the device never saw that answer.
  const assign = {
    id: 'ev-1',
    kind: 'assign',
    at: '2026-11-30T10:00:00.500Z',
    by: 'system',
    assignee: { kind: 'contractor', id: 'firma-kt' }
  };
  const written: DocState = { ...sent, status: 'assigned', assignee: assign.assignee, events: [assign] };

  function handlerWith(cleared: { id: string; doc: DocState }[]) {
    return createConflictHandler({
      collection: 'tickets',
      appendOnly: ['events'],
      editConflictsField: false,
      userId: 'ucitel.gymkt',
      derived: DERIVED_FIELDS.tickets,
      issues: {
        rejectedFor: async () => new Map(),
        rebaseRejected: async () => undefined,
        recordConflicts: async () => undefined,
        clearPushed: async (_c, pushed) => {
          cleared.push(...pushed);
        }
      }
    });
  }

  it('takes status and assignee from the merged events, never the device status beside the server events', async () => {
    const out = await handlerWith([]).resolve(
      { assumedMasterState: undefined, newDocumentState: sent, realMasterState: written },
      'test'
    );
    expect(out).toMatchObject({ status: 'assigned', assignee: assign.assignee, events: [assign] });
  });

  it('clears the pending mark: the server holds the whole local edit, nothing is left to send', async () => {
    const cleared: { id: string; doc: DocState }[] = [];
    await handlerWith(cleared).resolve(
      { assumedMasterState: undefined, newDocumentState: sent, realMasterState: written },
      'test'
    );
    expect(cleared).toEqual([{ id: 'tk-1', doc: sent }]);
  });

  it('keeps it pending when the merge still has something of the device to send', async () => {
    const cleared: { id: string; doc: DocState }[] = [];
    const edited = { ...sent, title: 'Projector in room 12', updatedAt: '2026-11-30T10:00:01.000Z' };
    const out = await handlerWith(cleared).resolve(
      { assumedMasterState: sent, newDocumentState: edited, realMasterState: written },
      'test'
    );
    expect(out).toMatchObject({ title: 'Projector in room 12', status: 'assigned' });
    expect(cleared).toEqual([]);
  });
});
