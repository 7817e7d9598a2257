/**
 * The gateway's judgement of an asset-module write, made on the device before saving, so a
 * refusal is shown at once in the person's words instead of after the next sync.
 */
import { rolesInOrg, type OrgInfo, type SessionUser } from '../access';
import { orgDb, parseDbName, type DbRef } from '../databases';
import { checkAudit, checkWrite, type Doc } from '../write-rules';

export function checkAssetsOnDevice(
  user: SessionUser,
  org: OrgInfo,
  before: Doc | null,
  after: Doc,
  now: Date = new Date()
): string | null {
  const db = parseDbName(orgDb(org.id, 'assets')) as DbRef;
  const roles = rolesInOrg(user, org, now);
  const ctx = { user, roles, db, org, before, after };
  return checkAudit(ctx) ?? checkWrite(ctx);
}
