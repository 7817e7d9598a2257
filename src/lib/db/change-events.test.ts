import { describe, expect, it } from 'vitest';
import { backoffDelay, parseChangeEvent, SseParser, type SseEvent } from './change-events';

describe('change events', () => {
  it.each([
    ['changed', '{"dbs":["org_gym-kt_tickets","region_orgs"]}', ['org_gym-kt_tickets', 'region_orgs']],
    ['message', '["org_a_tasks"]', ['org_a_tasks']],
    ['message', '{"db":"org_a_tasks"}', ['org_a_tasks']],
    ['changed', 'not json', []],
    ['changed', '{"dbs":[1,"x"]}', ['x']],
    ['resync', '{}', 'all'],
    ['message', '{"resync":true}', 'all'],
    ['ready', '{}', []]
  ])('reads %s %s', (type, data, expected) => {
    expect(parseChangeEvent(type, data)).toEqual(expected);
  });
});

describe('event-stream parsing', () => {
  it('reads events split anywhere across chunks, with ids, comments and CRLF', () => {
    const text =
      ': heartbeat\r\nid: b-1\nevent: changed\ndata: {"dbs":["x"]}\n\n: hb\n\nevent: ready\nid: b-2\ndata: {}\r\n\r\n';
    for (const size of [1, 3, 7, text.length]) {
      const parser = new SseParser();
      const out: SseEvent[] = [];
      for (let i = 0; i < text.length; i += size) parser.feed(text.slice(i, i + size), (e) => out.push(e));
      expect(out).toEqual([
        { type: 'changed', data: '{"dbs":["x"]}', id: 'b-1' },
        { type: 'ready', data: '{}', id: 'b-2' }
      ]);
    }
  });

  it('takes the id of a heartbeat (a comment and an id, no data) as the resume point', () => {
    const parser = new SseParser();
    const out: SseEvent[] = [];
    parser.feed(': heartbeat\nid: 1796-42\n\n', (e) => out.push(e));
    expect(out).toEqual([{ type: 'id', data: '', id: '1796-42' }]);
  });

  it('waits longer after each failure, up to the cap, never in lockstep with other clients', () => {
    const delays = [0, 1, 2, 3, 10, 40].map((n) => backoffDelay(n, 1000, 60_000, () => 1));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 60_000, 60_000]);
    expect(backoffDelay(3, 1000, 60_000, () => 0)).toBe(4000);
  });
});
