import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TicketEvent, TicketStatus } from '../schemas/tickets';
import { businessMinutesBetween, PRAGUE_BUSINESS_HOURS } from './calendar';
import { computeSla, type SlaPolicy, type SlaTicket } from './clock';

// January 2026 is CET (UTC+1): Monday 12 Jan 08:00 in Prague is 07:00Z.
const P2: SlaPolicy = { responseMinutes: 60, resolutionMinutes: 510, calendar: 'business', penalty: 2000 };
const P1: SlaPolicy = { responseMinutes: 30, resolutionMinutes: 240, calendar: '24x7', penalty: 5000 };

let seq = 0;
const status = (at: string, to: TicketStatus, by = 'helpdesk'): TicketEvent => ({
  id: `e${++seq}`,
  at,
  by,
  kind: 'status',
  to
});
const event = (at: string, kind: TicketEvent['kind'], by: string): TicketEvent => ({
  id: `e${++seq}`,
  at,
  by,
  kind,
  text: 'x'
});
const ticket = (events: TicketEvent[], over: Partial<SlaTicket> = {}): SlaTicket => ({
  requester: 'ucitel.gymkt',
  createdBy: 'ucitel.gymkt',
  createdAt: '2026-01-12T06:55:00Z',
  receivedAt: '2026-01-12T07:00:00Z',
  events,
  ...over
});

describe('computeSla', () => {
  it('runs from receivedAt and projects the due times', () => {
    const s = computeSla(ticket([]), P2, '2026-01-12T08:00:00Z');
    expect(s).toMatchObject({
      startedAt: '2026-01-12T07:00:00.000Z',
      startEstimated: false,
      elapsedResolution: 60,
      elapsedResponse: 60,
      responseBreached: false,
      responseDueAt: '2026-01-12T08:00:00.000Z',
      // 450 minutes left on Monday (8:00–15:30), 60 more on Tuesday.
      resolutionDueAt: '2026-01-13T07:00:00.000Z',
      state: 'running'
    });
  });

  it('falls back to createdAt before the server has seen the ticket, and says so', () => {
    const s = computeSla(ticket([], { receivedAt: undefined }), P2, '2026-01-12T08:00:00Z');
    expect(s.startEstimated).toBe(true);
    expect(s.elapsedResolution).toBe(65);
  });

  it('is responded to by staff assigning, commenting or moving it on — not by the requester or a note', () => {
    const own = [
      event('2026-01-12T07:10:00Z', 'comment', 'ucitel.gymkt'),
      event('2026-01-12T07:15:00Z', 'note', 'helpdesk')
    ];
    expect(computeSla(ticket(own), P2, '2026-01-12T07:30:00Z').respondedAt).toBeUndefined();
    const assign: TicketEvent = {
      id: 'a1',
      at: '2026-01-12T07:30:00Z',
      by: 'helpdesk',
      kind: 'assign',
      assignee: { queue: 'central' }
    };
    const s = computeSla(ticket([...own, assign]), P2, '2026-01-12T09:00:00Z');
    expect(s).toMatchObject({ respondedAt: '2026-01-12T07:30:00.000Z', elapsedResponse: 30, responseBreached: false });
    expect(
      computeSla(ticket([event('2026-01-12T07:20:00Z', 'comment', 'technik.kt')]), P2, '2026-01-12T09:00:00Z')
        .elapsedResponse
    ).toBe(20);
  });

  it('breaches the response target when nobody answers in time', () => {
    const s = computeSla(ticket([]), P2, '2026-01-12T08:01:00Z');
    expect(s).toMatchObject({ responseBreached: true, resolutionBreached: false, state: 'breached' });
  });

  it('pauses while waiting for the requester and resumes after', () => {
    const events = [
      status('2026-01-12T07:30:00Z', 'in_progress'),
      status('2026-01-12T08:00:00Z', 'waiting'),
      status('2026-01-12T10:00:00Z', 'in_progress', 'ucitel.gymkt')
    ];
    expect(computeSla(ticket(events.slice(0, 2)), P2, '2026-01-12T11:00:00Z')).toMatchObject({
      elapsedResolution: 60,
      state: 'paused'
    });
    const s = computeSla(ticket(events), P2, '2026-01-12T11:00:00Z');
    expect(s).toMatchObject({ elapsedResolution: 120, state: 'running' });
    expect(s.resolutionDueAt).toBe('2026-01-13T09:00:00.000Z');
  });

  it('stops at resolved and keeps the counted time after a reopen', () => {
    const resolved = [status('2026-01-12T07:30:00Z', 'in_progress'), status('2026-01-12T09:00:00Z', 'resolved')];
    expect(computeSla(ticket(resolved), P2, '2026-01-20T09:00:00Z')).toMatchObject({
      elapsedResolution: 120,
      resolvedAt: '2026-01-12T09:00:00.000Z',
      state: 'met'
    });
    const closed = [...resolved, status('2026-01-12T09:30:00Z', 'closed', 'ucitel.gymkt')];
    expect(computeSla(ticket(closed), P2, '2026-01-20T09:00:00Z').resolvedAt).toBe('2026-01-12T09:00:00.000Z');
    const reopened = [...closed, status('2026-01-12T12:00:00Z', 'in_progress', 'ucitel.gymkt')];
    const s = computeSla(ticket(reopened), P2, '2026-01-12T13:00:00Z');
    expect(s).toMatchObject({ elapsedResolution: 180, state: 'running' });
    expect(s.resolvedAt).toBeUndefined();
  });

  it('counts the time left to respond like the time left to resolve: by the calendar, not the clock', () => {
    // Friday after hours: neither clock runs until Monday; the response is due first and has less left.
    const s = computeSla(
      ticket([], { createdAt: '2026-01-16T15:00:00Z', receivedAt: '2026-01-16T15:00:00Z' }),
      P2,
      '2026-01-17T08:00:00Z'
    );
    expect(Date.parse(s.responseDueAt)).toBeLessThan(Date.parse(s.resolutionDueAt));
    expect(s.responseRemainingMinutes).toBeLessThan(s.remainingMinutes);
    expect(s).toMatchObject({ responseRemainingMinutes: 60, remainingMinutes: 510 });
    const late = computeSla(ticket([]), P2, '2026-01-13T08:00:00Z');
    expect(late.responseRemainingMinutes).toBe(60 - late.elapsedResponse);
    expect(late.responseRemainingMinutes).toBeLessThan(0);
  });

  it('is due soon under 20 % left, breached past the target, with the breach instant', () => {
    const answered = [status('2026-01-12T07:10:00Z', 'in_progress')];
    // Monday 8:00–15:30 = 450, Tuesday 7:00–7:30 = 30 → 480 of 510.
    expect(computeSla(ticket(answered), P2, '2026-01-13T06:30:00Z')).toMatchObject({
      remainingMinutes: 30,
      state: 'due_soon'
    });
    const s = computeSla(ticket(answered), P2, '2026-01-13T08:00:00Z');
    expect(s).toMatchObject({
      elapsedResolution: 570,
      remainingMinutes: -60,
      fractionLeft: 0,
      resolutionBreached: true,
      state: 'breached'
    });
    expect(s.resolutionDueAt).toBe('2026-01-13T07:00:00.000Z');
  });

  it('counts nights and weekends on the 24x7 calendar', () => {
    const sat = ticket([status('2026-01-10T09:10:00Z', 'in_progress')], { receivedAt: '2026-01-10T09:00:00Z' });
    expect(computeSla(sat, P1, '2026-01-10T11:00:00Z')).toMatchObject({
      elapsedResolution: 120,
      resolutionDueAt: '2026-01-10T13:00:00.000Z'
    });
  });

  it('does not count time before the server received a ticket made offline', () => {
    const offline = ticket([status('2026-01-12T06:00:00Z', 'waiting', 'helpdesk')], {
      createdAt: '2026-01-12T05:00:00Z'
    });
    expect(computeSla(offline, P2, '2026-01-12T09:00:00Z')).toMatchObject({ elapsedResolution: 0, state: 'paused' });
  });
});

const t0 = Date.parse('2026-01-12T07:00:00Z');
const offset = fc.integer({ min: 0, max: 14 * 24 * 60 }).map((m) => t0 + m * 60_000);

describe('computeSla properties', () => {
  it('never counts paused time', () => {
    fc.assert(
      fc.property(offset, offset, offset, (a, b, c) => {
        const [p1, p2, now] = [a, b, c].sort((x, y) => x - y);
        const iso = (ms: number) => new Date(ms).toISOString();
        const plain = computeSla(ticket([]), P2, now);
        const paused = computeSla(ticket([status(iso(p1), 'waiting'), status(iso(p2), 'in_progress')]), P2, now);
        expect(paused.elapsedResolution).toBeCloseTo(
          plain.elapsedResolution - businessMinutesBetween(p1, p2, PRAGUE_BUSINESS_HOURS),
          6
        );
      }),
      { numRuns: 100 }
    );
  });

  it('counted time never decreases as time passes', () => {
    fc.assert(
      fc.property(offset, offset, offset, offset, (a, b, n1, n2) => {
        const [p1, p2] = a < b ? [a, b] : [b, a];
        const t = ticket([
          status(new Date(p1).toISOString(), 'waiting'),
          status(new Date(p2).toISOString(), 'in_progress')
        ]);
        const [early, late] = n1 < n2 ? [n1, n2] : [n2, n1];
        expect(computeSla(t, P2, late).elapsedResolution).toBeGreaterThanOrEqual(
          computeSla(t, P2, early).elapsedResolution
        );
      }),
      { numRuns: 100 }
    );
  });
});
