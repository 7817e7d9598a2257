/** Small factories and a client for the gateway's integration tests. */
import { toEnvelope } from '../../src/lib/domain/assets/contracts-envelope';
import { assetDocId } from '../../src/lib/domain/assets/ids';
import { parseDbName } from '../../src/lib/domain/databases';

export const T0 = '2025-01-06T08:00:00.000Z';

let counter = 0;
export const uniqueId = (prefix: string) => `${prefix}-${process.pid}-${++counter}`;

/** IZS's receipt of a hand-off: its id is fixed by the hand-off's (one receipt each). */
const receiptOf = (handoffId: string) => ({ _id: `receipt:${handoffId}`, entry: 'receipt', handoffId });

/** A new document for a database's collection that the schema accepts, written by `userId`. */
export function validDoc(db: string, userId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const ref = parseDbName(db);
  if (!ref) throw new Error(`not a product database: ${db}`);
  const now = new Date().toISOString();
  const audit = { createdBy: userId, createdAt: now, updatedBy: userId, updatedAt: now };
  const org = ref.kind === 'org' ? { orgId: ref.orgId } : {};
  const byCollection: Record<string, Record<string, unknown>> = {
    tickets: {
      title: 'Nefunguje projektor',
      description: 'Učebna 12',
      category: 'cat-hardware',
      priority: 'P3',
      requester: userId,
      status: 'new',
      events: []
    },
    tasks: {
      type: 'task',
      title: 'Inventura ICT',
      description: 'Do konce měsíce',
      issueId: 'issue-test',
      issuedBy: 'skolstvi',
      targets: ref.kind === 'org' ? [ref.orgId] : [],
      dueAt: new Date(Date.now() + 14 * 864e5).toISOString()
    },
    approvals: {
      type: 'invoice',
      number: 'FA-1',
      supplier: 'Alza.cz a.s.',
      supplierIco: '27082440',
      amount: 1200,
      currency: 'CZK',
      registeredOn: now.slice(0, 10),
      registrar: userId,
      round: 1
    },
    assets: { type: 'asset', kind: 'laptop', name: 'Notebook', state: 'in_use' },
    dispatch: { entry: 'report', reportType: 'snow', severity: 2, district: 'KT', lat: 49.4, lon: 13.3 },
    media: { fileName: 'foto.jpg', contentType: 'image/jpeg' },
    contractscans: { fileName: 'smlouva.pdf', contentType: 'application/pdf' },
    notes: { ticketId: 'tkt-gym-kt-0001', text: 'Interní poznámka' },
    comments: {
      ticketId: ref.kind === 'org' ? `tkt-${ref.orgId}-0001` : 'tkt-x',
      kind: 'comment',
      text: 'Komentář'
    },
    orgs: { name: 'Testovací organizace', shortName: 'TO', kind: 'other', district: 'PM' },
    people: { name: 'Test Person' },
    catalog: { kind: 'category', name: 'Test' },
    sections: {
      name: 'Úsek',
      road: 'II/185',
      district: 'KT',
      order: 'II',
      path: [
        [49.4, 13.3],
        [49.41, 13.31]
      ]
    },
    alerts: { district: 'KT', title: 'Náledí', severity: 2 },
    izs: userId === 'izs' ? receiptOf(uniqueId('handoff')) : { entry: 'handoff', title: 'Nehoda' }
  };
  const idPrefix = ref.collection === 'orgs' ? 'test-org' : ref.collection === 'people' ? 'test.person' : 'test';
  if (ref.kind === 'org' && ref.collection === 'assets') {
    // An asset's id is made from its organization and inventory number.
    const inventoryNo = uniqueId('INV').toUpperCase();
    const doc = { inventoryNo, refId: '', day: '', ...org, ...audit, ...byCollection.assets, ...extra };
    return { _id: assetDocId(ref.orgId, String(doc.inventoryNo)), key: doc.inventoryNo, ...doc };
  }
  if (ref.kind === 'org' && ref.collection === 'contracts') {
    // A contract record of the asset module, its fields in `data` (contracts-envelope.ts).
    const { id, ...env } = toEnvelope({
      id: `contract:${uniqueId(ref.orgId)}`,
      orgId: ref.orgId,
      type: 'contract',
      number: 'S-1',
      subject: 'Servis tiskáren',
      parties: [{ name: 'Dodavatel s.r.o.', ico: '60193336' }],
      valueExclVat: 10_000,
      signedOn: now.slice(0, 10),
      responsible: userId
    });
    return { _id: id as string, ...env, ...audit, ...extra };
  }
  return { _id: uniqueId(idPrefix), ...org, ...audit, ...byCollection[ref.collection], ...extra };
}

/** One row of a `_bulk_docs` answer. */
export interface BulkRow {
  id: string;
  ok?: boolean;
  rev?: string;
  error?: string;
  reason?: string;
}

export interface Client {
  cookie: string;
  get(path: string): Promise<Response>;
  send(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  bulkDocs(
    db: string,
    docs: unknown[],
    newEdits?: boolean
  ): Promise<{ status: number; body: BulkRow[] & Record<string, unknown> }>;
}

export function client(baseUrl: string, cookie: string): Client {
  const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(baseUrl + path, {
      method,
      headers: { cookie, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
    });
  return {
    cookie,
    get: (path) => send('GET', path),
    send,
    async bulkDocs(db, docs, newEdits) {
      const res = await send(
        'POST',
        `/couch/${db}/_bulk_docs`,
        newEdits === undefined ? { docs } : { docs, new_edits: newEdits }
      );
      return { status: res.status, body: await res.json() };
    }
  };
}
