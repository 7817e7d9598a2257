import { describe, expect, it } from 'vitest';
import { parseChangeEvent } from './change-events';

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
