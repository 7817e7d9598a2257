/**
 * Users as the administration keeps them: the `user:<name>` documents of the private `auth`
 * database (what sign-in and every request read, so a change counts on the next request)
 * and their public card in `region_people` (the directory every device replicates).
 */
import type nano from 'nano';
import { regionDb } from '../../src/lib/domain/databases';
import { onHelpdesk, type Membership } from '../../src/lib/domain/access';
import { AUTH_DB, findUser, userDocId, type UserDoc } from '../auth/users';
import type { StoredReset } from './reset-codes';
import { isStatus } from '../couch-status';

export const PEOPLE_DB = regionDb('people');

export interface AdminUserDoc extends UserDoc {
  email?: string;
  phone?: string;
  title?: string;
  language?: 'cs' | 'en';
  reset?: StoredReset;
  passwordChangedAt?: string;
  createdAt?: string;
  createdBy?: string;
  updatedAt?: string;
  updatedBy?: string;
}

export interface UserView {
  username: string;
  name: string;
  email?: string;
  phone?: string;
  title?: string;
  orgId?: string;
  memberships: Membership[];
  disabled: boolean;
  hasPassword: boolean;
  resetExpiresAt?: string;
  language?: 'cs' | 'en';
}

export function userView(d: AdminUserDoc): UserView {
  return {
    username: d.username,
    name: d.name,
    ...(d.email ? { email: d.email } : {}),
    ...(d.phone ? { phone: d.phone } : {}),
    ...(d.title ? { title: d.title } : {}),
    ...(d.orgId ? { orgId: d.orgId } : {}),
    memberships: d.memberships,
    disabled: d.disabled === true,
    hasPassword: !!d.passwordHash,
    ...(d.reset ? { resetExpiresAt: d.reset.expiresAt } : {}),
    ...(d.language ? { language: d.language } : {})
  };
}

export async function getUser(couch: nano.ServerScope, username: string): Promise<AdminUserDoc | null> {
  return (await findUser(couch, username)) as AdminUserDoc | null;
}

export async function listUsers(couch: nano.ServerScope): Promise<AdminUserDoc[]> {
  const res = await couch
    .use<AdminUserDoc>(AUTH_DB)
    .list({ startkey: 'user:', endkey: 'user:\ufff0', include_docs: true });
  return res.rows.flatMap((r) => (r.doc && r.doc.type === 'user' ? [r.doc] : []));
}

/** Writes the user; a 409 (someone else changed it meanwhile) propagates to the caller. */
export async function saveUser(couch: nano.ServerScope, doc: AdminUserDoc): Promise<AdminUserDoc> {
  const res = await couch.use<AdminUserDoc>(AUTH_DB).insert({ ...doc, _id: userDocId(doc.username) });
  return { ...doc, _rev: res.rev };
}

/** Whether the card says the person is on the helpdesk (whom the ticket's assign list names). */
const deskOf = (d: AdminUserDoc, now: string) => !d.disabled && onHelpdesk(d.memberships, now);

/** Keeps the person's card in the directory in step with the user record. */
export async function savePersonCard(couch: nano.ServerScope, d: AdminUserDoc, by: string, now: string): Promise<void> {
  const db = couch.use<Record<string, unknown>>(PEOPLE_DB);
  let current: Record<string, unknown> | undefined;
  try {
    current = await db.get(d.username);
  } catch (err) {
    if (!isStatus(err, 404)) throw err;
  }
  const card = {
    _id: d.username,
    ...(current?._rev ? { _rev: current._rev as string } : {}),
    name: d.name,
    ...(d.orgId ? { orgId: d.orgId } : {}),
    ...(d.email ? { email: d.email } : {}),
    ...(d.phone ? { phone: d.phone } : {}),
    ...(d.title ? { title: d.title } : {}),
    ...(deskOf(d, now) ? { desk: true } : {}),
    createdBy: (current?.createdBy as string | undefined) ?? by,
    createdAt: (current?.createdAt as string | undefined) ?? now,
    updatedBy: by,
    updatedAt: now
  };
  await db.insert(card);
}

/**
 * The directory's helpdesk marks set from the accounts: cards written before cards carried the
 * mark, a membership that began or ended, an account deactivated. Run at every start and once a
 * day. Only a card whose mark differs is written (a card changed meanwhile keeps its version and
 * is set on the next run); a person without a card is left to the administration. Answers how
 * many cards were written.
 */
export async function markHelpdeskCards(couch: nano.ServerScope, now: string): Promise<number> {
  const users = await listUsers(couch);
  const db = couch.use<Record<string, unknown>>(PEOPLE_DB);
  const cards = await db.fetch({ keys: users.map((u) => u.username) });
  const changed: Record<string, unknown>[] = [];
  cards.rows.forEach((row, i) => {
    const card = 'doc' in row ? (row.doc as Record<string, unknown> | null) : null;
    if (!card) return;
    const desk = deskOf(users[i], now);
    if ((card.desk === true) === desk) return;
    const { desk: _old, ...rest } = card;
    changed.push(desk ? { ...rest, desk: true } : rest);
  });
  if (changed.length === 0) return 0;
  const res = await db.bulk({ docs: changed });
  return res.filter((r) => !r.error).length;
}
