/** Organization documents in `region_orgs`, as the administration reads and writes them. */
import type nano from 'nano';
import type { OrgInput } from '../../src/lib/domain/admin/org-input';
import type { FinanceChange } from '../../src/lib/domain/portal/rule-sets';
import { ORGS_DB } from '../provision/org-registry';
import { isStatus } from '../couch-status';

export interface OrgDoc extends Partial<OrgInput> {
  _id: string;
  _rev?: string;
  name: string;
  closedAt?: string;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
  lat?: number;
  lon?: number;
  receivedAt?: string;
  financeHistory?: FinanceChange[];
}

export type OrgView = Omit<OrgDoc, '_id' | '_rev'> & { id: string };

export const orgView = ({ _id, _rev, ...rest }: OrgDoc): OrgView => {
  void _rev;
  return { id: _id, ...rest };
};

export async function listOrgDocs(couch: nano.ServerScope): Promise<OrgDoc[]> {
  const res = await couch.use<OrgDoc>(ORGS_DB).list({ include_docs: true });
  return res.rows.flatMap((r) => (r.doc && !r.id.startsWith('_design/') ? [r.doc] : []));
}

export async function getOrgDoc(couch: nano.ServerScope, id: string): Promise<OrgDoc | null> {
  try {
    return await couch.use<OrgDoc>(ORGS_DB).get(id);
  } catch (err) {
    if (isStatus(err, 404)) return null;
    throw err;
  }
}

/** A new document from validated input, stamped as the gateway stamps documents. */
export function newOrgDoc(input: OrgInput, by: string, now: string): OrgDoc {
  const { id, ...fields } = input;
  return { _id: id, ...fields, createdBy: by, createdAt: now, updatedBy: by, updatedAt: now, receivedAt: now };
}
