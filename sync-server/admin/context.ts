/** What the administration routes share: the stores, the audit log and the password list. */
import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type nano from 'nano';
import { hasRole } from '../../src/lib/domain/access';
import { checkPassword, parsePasswordList, PASSWORD_REASONS } from '../../src/lib/domain/admin/password-policy';
import { createLucia, type AppLucia } from '../auth/lucia';
import { CouchSessionAdapter } from '../auth/session-adapter';
import type { OrgRegistry } from '../provision/org-registry';
import { AuditLog, type AuditEntry } from './audit-log';

const COMMON_PASSWORDS = parsePasswordList(
  readFileSync(new URL('./data/common-passwords.txt', import.meta.url), 'utf8')
);

export interface AdminContext {
  couch: nano.ServerScope;
  orgs: OrgRegistry;
  notify(db: string): void;
  audit: AuditLog;
  sessions: CouchSessionAdapter;
  lucia: AppLucia;
  /** Records an action of the signed-in user. */
  record(request: FastifyRequest, entry: Omit<AuditEntry, 'at' | 'actor' | 'ip'>): Promise<void>;
  /** null when the password passes the policy, else the refusal to send. */
  passwordRefusal(password: string, username: string): { error: string; code: string; reason: string } | null;
}

export function adminContext(app: FastifyInstance): AdminContext {
  const audit = new AuditLog(app.couch, app.log);
  return {
    couch: app.couch,
    orgs: app.orgs,
    notify: (db) => app.events.notify(db),
    audit,
    sessions: new CouchSessionAdapter(app.couch),
    lucia: createLucia(app.couch, app.config.publicOrigin),
    record: (request, entry) => audit.append({ actor: request.user?.id ?? 'anonymous', ip: request.ip, ...entry }),
    passwordRefusal(password, username) {
      const problem = checkPassword(password, { username, common: COMMON_PASSWORDS });
      return problem ? { error: 'weak_password', code: problem, reason: PASSWORD_REASONS[problem] } : null;
    }
  };
}

/** preHandler: only a signed-in admin passes. */
export async function requireAdmin(request: FastifyRequest, reply: FastifyReply) {
  if (!request.user) return reply.code(401).send({ error: 'unauthorized', reason: 'sign in first (no valid session)' });
  if (!hasRole(request.user, 'admin'))
    return reply.code(403).send({ error: 'forbidden', reason: 'only an administrator may use the administration' });
}
