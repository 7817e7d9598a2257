import { describe, expect, it } from 'vitest';
import type { SessionUser } from '../../../lib/domain/access';
import { buildTicket } from './ticket-docs';
import { canChangeTicket } from './ticket-permissions';

const teacher: SessionUser = {
  id: 'ucitel.gymkt',
  name: 'Učitel',
  memberships: [{ role: 'requester', org: 'gym-kt' }]
};
const colleague: SessionUser = {
  id: 'ucitel2.gymkt',
  name: 'Kolega',
  memberships: [{ role: 'requester', org: 'gym-kt' }]
};
const director: SessionUser = {
  id: 'reditel.gymkt',
  name: 'Ředitel',
  memberships: [{ role: 'manager', org: 'gym-kt' }]
};
const org = { id: 'gym-kt', district: 'KT' };
const rw = [{ db: 'org_gym-kt_tickets', write: true }];
const ticket = buildTicket(
  { orgId: 'gym-kt', title: 'Projektor', description: '', category: 'hw', priority: 'P3' },
  'ucitel.gymkt'
);

describe('canChangeTicket', () => {
  it.each([
    ['the requester who created it', teacher, rw, true],
    ['another requester of the organization', colleague, rw, false],
    ['the director', director, rw, true],
    ['anyone without write access to the database', director, [{ db: 'org_gym-kt_tickets', write: false }], false]
  ])('%s → %s', (_who, user, dbs, expected) => {
    expect(canChangeTicket(user, dbs, org, ticket, { priority: 'P2' })).toBe(expected);
  });
});
