/** A user as the administrator enters it (form or CSV row), and its checks. */
import type { Membership } from '../../src/lib/domain/access';
import { separationWarnings } from '../../src/lib/domain/admin/separation';
import { USERNAME_PATTERN } from '../auth/users';
import type { AdminContext } from './context';
import { cleanMembership, membershipProblems } from './memberships';
import type { AdminUserDoc } from './user-store';

const RESERVED = new Set(['system', 'anonymous']);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ()-]{6,25}$/;

export interface UserInput {
  username: string;
  name: string;
  email?: string;
  phone?: string;
  title?: string;
  orgId?: string;
  memberships: Membership[];
}

/** Problems of a user's fields (not of the username's availability). */
export function userProblems(u: UserInput, ctx: AdminContext): string[] {
  const problems: string[] = [];
  if (!USERNAME_PATTERN.test(u.username))
    problems.push('the username must be 2–60 lowercase letters, digits, dots, dashes or underscores');
  else if (RESERVED.has(u.username)) problems.push(`the username "${u.username}" is reserved`);
  if (!u.name?.trim()) problems.push('the name is required');
  else if (u.name.trim().length < 2) problems.push('the name needs at least 2 characters');
  if (u.email && !EMAIL.test(u.email)) problems.push(`"${u.email}" is not an e-mail address`);
  if (u.phone && !PHONE.test(u.phone)) problems.push(`"${u.phone}" is not a phone number`);
  if (u.orgId && !ctx.orgs.get(u.orgId)) problems.push(`there is no organization "${u.orgId}"`);
  problems.push(...membershipProblems(u.memberships, ctx.orgs.list()));
  return problems;
}

export function warningsFor(memberships: Membership[], ctx: AdminContext) {
  return separationWarnings(memberships, (org) => ctx.orgs.get(org)?.allowBudgetAccountantSamePerson === true);
}

export function trimInput(body: Record<string, unknown>, username: string): UserInput {
  const s = (k: string) => (typeof body[k] === 'string' ? (body[k] as string).trim() : undefined) || undefined;
  return {
    username,
    name: s('name') ?? '',
    email: s('email'),
    phone: s('phone'),
    title: s('title'),
    orgId: s('orgId'),
    memberships: ((body.memberships as Membership[] | undefined) ?? []).map(cleanMembership)
  };
}

export function newUserDoc(u: UserInput, by: string, now: string): AdminUserDoc {
  return {
    _id: `user:${u.username}`,
    type: 'user',
    username: u.username,
    name: u.name,
    passwordHash: '',
    memberships: u.memberships,
    ...(u.orgId ? { orgId: u.orgId } : {}),
    ...(u.email ? { email: u.email } : {}),
    ...(u.phone ? { phone: u.phone } : {}),
    ...(u.title ? { title: u.title } : {}),
    createdAt: now,
    createdBy: by,
    updatedAt: now,
    updatedBy: by
  };
}
