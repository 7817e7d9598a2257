/**
 * The stocktake's records in the asset module's collection, one type each:
 * - `stocktake`: one count of an organization or one of its sites; open, then closed once
 *   (closing freezes it: the soupis is signed against what it holds);
 * - `stocktake_scan`: one code read or typed, its own append-only document (id under the
 *   stocktake's), so phones counting offline add scans and never edit a shared list;
 * - `stocktake_decision`: the manager's answer to one proposal of the closed stocktake, at
 *   most one per proposal (its id is made from the proposal's key, so a second answer is a
 *   conflict, not a second record).
 * Whether the parent stocktake is open or closed only the server knows for sure; it checks
 * that with the stored stocktake (`checkStocktakeParent`, called from the gateway).
 */
import type { Role } from '../access';
import type { Doc, WriteContext } from '../write-rules';
import type { AssetDocType } from './doc-type';
import { newRecordId } from './ids';
import { parseCode } from './stocktake-code';
import type { RegisterAsset, ScanMethod } from './stocktake';
import type { ProposalKind } from './stocktake-soupis';

export const STOCKTAKE = 'stocktake';
export const STOCKTAKE_SCAN = 'stocktake_scan';
export const STOCKTAKE_DECISION = 'stocktake_decision';
export const STOCKTAKE_TYPES = [STOCKTAKE, STOCKTAKE_SCAN, STOCKTAKE_DECISION] as const;

/** The inventory committee: IT staff and the organization's managers (the register's writers). */
export const COMMITTEE_ROLES: readonly Role[] = ['agent', 'manager', 'admin'];
/** Who confirms differences into the register: the organization's manager. */
export const CONFIRMING_ROLES: readonly Role[] = ['manager', 'admin'];

export interface StocktakeData {
  committee: string[];
  /** Device time the count started. */
  startedAt: string;
  closedAt?: string;
  closedBy?: string;
  /** Counts at closing, for lists that do not recompute. */
  summary?: StocktakeSummary;
  /** The register as the count saw it (`registerSnapshot`), kept at closing: the soupis stays as signed. */
  register?: RegisterAsset[];
}

export interface StocktakeSummary {
  expected: number;
  found: number;
  moved: number;
  missing: number;
  surplus: number;
  scans: number;
}

/** Most assets one closed stocktake keeps (a whole organization's register, about 1 MB at most). */
export const MAX_SNAPSHOT = 5000;

/** The asset envelope's indexed fields (`schemas/assets.ts`): every record carries them. */
interface Envelope {
  /** What the type's list sorts by. */
  key: string;
  /** The stocktake a scan or decision belongs to ('' for the stocktake itself). */
  refId: string;
  state: string;
  /** `YYYY-MM-DD` or ''. */
  day: string;
}

export interface StocktakeDoc extends Envelope {
  id: string;
  orgId: string;
  type: typeof STOCKTAKE;
  name: string;
  /** The site counted; none: the whole organization. */
  site?: string;
  state: 'open' | 'closed';
  data: StocktakeData;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
  receivedAt?: string;
}

export interface ScanDoc extends Envelope {
  id: string;
  orgId: string;
  type: typeof STOCKTAKE_SCAN;
  site?: string;
  room?: string;
  data: { code: string; method: ScanMethod; deviceId?: string };
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
  receivedAt?: string;
}

export interface DecisionDoc extends Envelope {
  id: string;
  orgId: string;
  type: typeof STOCKTAKE_DECISION;
  data: {
    proposal: string;
    kind: ProposalKind;
    decision: 'confirmed' | 'rejected';
    inventoryNo: string;
    assetId?: string;
  };
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
  receivedAt?: string;
}

const isObj = (v: unknown): v is Doc => !!v && typeof v === 'object' && !Array.isArray(v);
const isText = (v: unknown, max: number, min = 1) => typeof v === 'string' && v.trim().length >= min && v.length <= max;
const USER = /^[a-z0-9._-]{2,60}$/;
const isTime = (v: unknown) => typeof v === 'string' && v.length <= 40 && !Number.isNaN(Date.parse(v));
const ID_OF_STOCKTAKE = /^stocktake:[a-z0-9]+-[a-z0-9]+$/;

export const scanIdPrefix = (stocktakeId: string) => `${stocktakeId}:scan:`;
export const decisionId = (stocktakeId: string, proposalKey: string) => `${stocktakeId}:dec:${proposalKey}`;

// ---- validators (shape and content, any writer) -----------------------------------------------

export function validateStocktake(doc: Doc): string | null {
  if (!ID_OF_STOCKTAKE.test(String(doc.id))) return 'a stocktake id is stocktake:<time>-<random>';
  if (doc.refId !== '') return 'a stocktake belongs to no other record (refId must be empty)';
  if (!isText(doc.name, 200)) return 'a stocktake needs a name';
  if (doc.site !== undefined && !isText(doc.site, 200)) return 'the site of a stocktake must not be empty';
  if (doc.state !== 'open' && doc.state !== 'closed') return 'a stocktake is open or closed';
  const d = doc.data;
  if (!isObj(d)) return 'a stocktake needs its data (committee, start)';
  for (const k of Object.keys(d)) {
    if (!['committee', 'startedAt', 'closedAt', 'closedBy', 'summary', 'register'].includes(k))
      return `a stocktake has no field data.${k}`;
  }
  if (!Array.isArray(d.committee) || d.committee.length === 0 || d.committee.length > 20)
    return 'the inventory committee has 1 to 20 members';
  if (!d.committee.every((u) => typeof u === 'string' && USER.test(u))) return 'committee members are user names';
  if (!d.committee.includes(doc.createdBy)) return 'who starts a stocktake is a member of its committee';
  if (!isTime(d.startedAt)) return 'the start time of a stocktake is required';
  if (doc.state === 'closed') {
    if (!isTime(d.closedAt) || typeof d.closedBy !== 'string') return 'a closed stocktake says when and by whom';
    if (String(d.closedAt) < String(d.startedAt)) return 'a stocktake cannot end before it started';
  } else if (d.closedAt !== undefined || d.closedBy !== undefined) return 'an open stocktake has no closing time';
  if (d.register !== undefined) {
    if (doc.state !== 'closed') return 'the register snapshot is kept when the stocktake is closed';
    if (!Array.isArray(d.register) || d.register.length > MAX_SNAPSHOT)
      return `the register snapshot holds at most ${MAX_SNAPSHOT} assets`;
    const bad = d.register.find(
      (a) => !isObj(a) || !isText(a.id, 100) || !isText(a.inventoryNo, 200) || typeof a.name !== 'string'
    );
    if (bad !== undefined) return 'each asset of the register snapshot has its id, inventory number and name';
  }
  if (d.summary !== undefined) {
    if (!isObj(d.summary)) return 'the summary of a stocktake holds counts';
    for (const [k, v] of Object.entries(d.summary)) {
      if (
        !['expected', 'found', 'moved', 'missing', 'surplus', 'scans'].includes(k) ||
        !Number.isInteger(v) ||
        (v as number) < 0
      )
        return `the summary count ${k} is not a count`;
    }
  }
  return null;
}

export function validateScan(doc: Doc): string | null {
  if (!ID_OF_STOCKTAKE.test(String(doc.refId))) return 'a scan belongs to a stocktake (refId stocktake:…)';
  if (!String(doc.id).startsWith(scanIdPrefix(String(doc.refId))))
    return `a scan's id starts with ${scanIdPrefix(String(doc.refId))}`;
  if (doc.site !== undefined && !isText(doc.site, 200)) return 'the site of a scan must not be empty';
  if (doc.room !== undefined && !isText(doc.room, 100)) return 'the room of a scan must not be empty';
  const d = doc.data;
  if (!isObj(d)) return 'a scan needs its code';
  for (const k of Object.keys(d))
    if (!['code', 'method', 'deviceId'].includes(k)) return `a scan has no field data.${k}`;
  // Any text is a valid code: one that is no inventory number is counted as surplus, not refused.
  if (!isText(d.code, 200)) return 'a scan needs the code read (at most 200 characters)';
  if (d.method !== 'camera' && d.method !== 'typed') return 'a scan was made by camera or typed';
  if (d.deviceId !== undefined && !isText(d.deviceId, 60)) return 'the device id of a scan is at most 60 characters';
  return null;
}

export function validateDecision(doc: Doc): string | null {
  if (!ID_OF_STOCKTAKE.test(String(doc.refId))) return 'a decision belongs to a stocktake (refId stocktake:…)';
  const d = doc.data;
  if (!isObj(d)) return 'a decision needs its proposal';
  for (const k of Object.keys(d))
    if (!['proposal', 'kind', 'decision', 'inventoryNo', 'assetId'].includes(k))
      return `a decision has no field data.${k}`;
  if (!isText(d.proposal, 60)) return 'a decision names its proposal';
  if (doc.id !== decisionId(String(doc.refId), String(d.proposal)))
    return `a decision's id is ${decisionId(String(doc.refId), String(d.proposal))}: one decision per proposal`;
  if (!['missing', 'moved', 'surplus'].includes(String(d.kind))) return 'a proposal is missing, moved or surplus';
  if (d.decision !== 'confirmed' && d.decision !== 'rejected') return 'a decision confirms or rejects';
  if (!isText(d.inventoryNo, 200)) return 'a decision names the inventory number';
  if (d.assetId !== undefined && !isText(d.assetId, 100)) return 'the asset of a decision is its id';
  return null;
}

// ---- who may write (pure part; the parent's state is the server's, see below) -----------------

const has = (roles: readonly Role[], role: Role) => roles.includes(role);

/** Starting, counting and closing: the committee's roles; changing only open → closed. */
export function stocktakeRole(role: Role, ctx: WriteContext): string | null {
  if (!has(COMMITTEE_ROLES, role))
    return 'only the inventory committee (IT staff, the organization’s manager) runs a stocktake';
  const { before, after, user } = ctx;
  // Started and closed on a phone offline, a stocktake reaches the server closed.
  if (!before)
    return after.state === 'open' || (after.data as unknown as StocktakeData).closedBy === user.id
      ? null
      : `the stocktake must be closed by ${user.id}`;
  if (before.state === 'closed') return 'this stocktake is closed; a closed stocktake never changes';
  const b = before.data as unknown as StocktakeData;
  const a = after.data as unknown as StocktakeData;
  if (before.site !== after.site || b.startedAt !== a.startedAt)
    return 'the site and start of a stocktake never change';
  if (!b.committee.every((u) => a.committee.includes(u))) return 'members are never removed from a committee';
  // Joining is not self-service: someone outside the committee who added themselves could then
  // close (and so freeze) another organization's count in a second write.
  const appoints = b.committee.includes(user.id) || role === 'manager' || role === 'admin';
  if (a.committee.some((u) => !b.committee.includes(u)) && !appoints)
    return 'only a member of the inventory committee or the organization’s manager adds members to it';
  if (after.state === 'closed') {
    const member = b.committee.includes(user.id) || role === 'admin';
    if (!member) return 'only a member of the inventory committee closes the stocktake';
    if (a.closedBy !== user.id) return `the stocktake must be closed by ${user.id}`;
  }
  return null;
}

export function scanRole(role: Role): string | null {
  return has(COMMITTEE_ROLES, role)
    ? null
    : 'only the inventory committee (IT staff, the organization’s manager) scans';
}

export function decisionRole(role: Role): string | null {
  return has(CONFIRMING_ROLES, role)
    ? null
    : 'only the organization’s manager confirms stocktake differences into the register';
}

/**
 * The check that needs the stored parent stocktake (server side): a stored closed stocktake
 * takes no more scans, and differences are decided only on a stored closed one.
 *
 * A device pushes its records in the order it last wrote them, and closing rewrites the
 * stocktake, so a stocktake started and closed offline reaches the server AFTER its scans
 * (possibly in a later batch), and in the same batch as its last ones. So a scan whose
 * stocktake the server does not hold yet is accepted (refusing it would strand a phone's
 * whole count), and a scan arriving with its stocktake is judged against the stocktake as
 * stored, not as sent: the device closed it after scanning.
 */
export function checkStocktakeParent(after: Doc, stored: Doc | null, isNew: boolean): string | null {
  if (!isNew) return null;
  if (after.type === STOCKTAKE_SCAN) {
    if (stored && stored.type !== STOCKTAKE) return `${String(after.refId)} is not a stocktake`;
    if (stored?.state === 'closed') {
      const closedAt = (stored.data as StocktakeData | undefined)?.closedAt;
      return `stocktake "${String(stored.name)}" was closed${closedAt ? ` at ${closedAt}` : ''}; it takes no more scans`;
    }
    return null;
  }
  if (after.type === STOCKTAKE_DECISION) {
    if (!stored || stored.type !== STOCKTAKE)
      return `stocktake ${String(after.refId)} does not exist in this organization`;
    if (stored.state !== 'closed') return 'differences are confirmed after the stocktake is closed';
  }
  return null;
}

export const stocktakeType: AssetDocType = {
  type: STOCKTAKE,
  fields: ['name', 'site', 'data'],
  validate: validateStocktake,
  checkRole: stocktakeRole
};

export const stocktakeScanType: AssetDocType = {
  type: STOCKTAKE_SCAN,
  fields: ['site', 'room', 'data'],
  validate: validateScan,
  checkRole: (role) => scanRole(role),
  appendOnly: true
};

export const stocktakeDecisionType: AssetDocType = {
  type: STOCKTAKE_DECISION,
  fields: ['data'],
  validate: validateDecision,
  checkRole: (role) => decisionRole(role),
  appendOnly: true
};

const pragueDay = (d: Date) =>
  new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Prague',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit'
  }).format(d);

// ---- new records --------------------------------------------------------------------------------

interface Author {
  orgId: string;
  userId: string;
  now?: Date;
}
const audit = ({ orgId, userId, now = new Date() }: Author) => ({
  orgId,
  createdBy: userId,
  createdAt: now.toISOString(),
  updatedBy: userId,
  updatedAt: now.toISOString()
});

export function newStocktake(a: Author & { name: string; site?: string; committee?: string[] }): StocktakeDoc {
  const now = a.now ?? new Date();
  const committee = [...new Set([a.userId, ...(a.committee ?? [])])];
  return {
    id: newRecordId('stocktake', now),
    type: STOCKTAKE,
    key: now.toISOString(),
    refId: '',
    day: pragueDay(now),
    name: a.name.trim(),
    ...(a.site ? { site: a.site } : {}),
    state: 'open',
    data: { committee, startedAt: now.toISOString() },
    ...audit({ ...a, now })
  };
}

export function newScan(
  a: Author & { stocktakeId: string; code: string; method: ScanMethod; site?: string; room?: string; deviceId?: string }
): ScanDoc {
  const now = a.now ?? new Date();
  const id = newRecordId('x', now).slice(2);
  return {
    id: `${scanIdPrefix(a.stocktakeId)}${id}`,
    type: STOCKTAKE_SCAN,
    key: parseCode(a.code).inventoryNo,
    refId: a.stocktakeId,
    state: '',
    day: '',
    ...(a.site ? { site: a.site } : {}),
    ...(a.room ? { room: a.room } : {}),
    data: { code: a.code.trim().slice(0, 200), method: a.method, ...(a.deviceId ? { deviceId: a.deviceId } : {}) },
    ...audit({ ...a, now })
  };
}

export function closeStocktake(
  st: StocktakeDoc,
  userId: string,
  kept: { summary?: StocktakeSummary; register?: RegisterAsset[] } = {},
  now = new Date()
): StocktakeDoc {
  return {
    ...st,
    state: 'closed',
    data: { ...st.data, closedAt: now.toISOString(), closedBy: userId, ...kept },
    updatedBy: userId,
    updatedAt: now.toISOString()
  };
}

export function newDecision(
  a: Author & {
    stocktakeId: string;
    proposal: string;
    kind: ProposalKind;
    decision: 'confirmed' | 'rejected';
    inventoryNo: string;
    assetId?: string;
  }
): DecisionDoc {
  return {
    id: decisionId(a.stocktakeId, a.proposal),
    type: STOCKTAKE_DECISION,
    key: a.proposal,
    refId: a.stocktakeId,
    state: a.decision,
    day: '',
    data: {
      proposal: a.proposal,
      kind: a.kind,
      decision: a.decision,
      inventoryNo: a.inventoryNo,
      ...(a.assetId ? { assetId: a.assetId } : {})
    },
    ...audit(a)
  };
}
