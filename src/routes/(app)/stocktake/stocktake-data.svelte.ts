/**
 * The stocktake screens' data on the device, as runes state: stocktakes, one stocktake's scans
 * and decisions, and the register of its organization, all from the asset module's one
 * collection (told apart by `type`), so the expected list, the count and the soupis work with
 * no network. The reconciliation is recomputed from the whole set of scans on every change
 * (pure, `domain/assets/stocktake.ts`), so scans another phone synced in take their place.
 */
import type { RxCollection } from 'rxdb';
import { rolesInOrg, type OrgInfo, type Role } from '$lib/domain/access';
import { reconcile, type RegisterAsset, type StocktakeScan } from '$lib/domain/assets/stocktake';
import {
  COMMITTEE_ROLES,
  CONFIRMING_ROLES,
  STOCKTAKE,
  STOCKTAKE_DECISION,
  STOCKTAKE_SCAN,
  type DecisionDoc,
  type ScanDoc,
  type StocktakeDoc
} from '$lib/domain/assets/stocktake-docs';
import { buildSoupis, proposalsOf } from '$lib/domain/assets/stocktake-soupis';
import { regionDocs, type OrgDoc } from '$lib/db/region';
import { live } from '$lib/ui/live.svelte';
import { session } from '$lib/ui/session.svelte';
import { compareCzech } from '$lib/domain/czech-order';

type AnyDoc = Record<string, unknown> & { id: string };

export function assetsCollection(): RxCollection<AnyDoc> | null {
  return (session.db?.collections.assets as RxCollection<AnyDoc> | undefined) ?? null;
}

/**
 * Writes a record of the module to the device (and so to the sync). The records are typed per
 * type; the collection holds every type, so it is typed loosely and the cast is made here once.
 */
export async function saveRecord(doc: { id: string }, mode: 'insert' | 'upsert' = 'insert'): Promise<void> {
  const c = assetsCollection();
  if (!c) throw new Error('no data layer');
  const record = doc as unknown as AnyDoc;
  await (mode === 'insert' ? c.insert(record) : c.upsert(record));
}

const plain = <T>(docs: { toJSON(): unknown }[]): T[] => docs.map((d) => d.toJSON() as T);

export const toScan = (d: ScanDoc): StocktakeScan => ({
  id: d.id,
  code: d.data.code,
  method: d.data.method,
  at: d.createdAt,
  by: d.createdBy,
  deviceId: d.data.deviceId,
  site: d.site,
  room: d.room
});

/** The organizations of the region, by id (names for headers and lists). */
export function orgDirectory() {
  const orgs = live(() => (session.db ? regionDocs(session.db, 'orgs') : null), []);
  const list = $derived(plain<OrgDoc>(orgs.current).sort((a, b) => compareCzech(a.name, b.name)));
  return {
    get list() {
      return list;
    },
    name: (id: string) => list.find((o) => o.id === id)?.name ?? id
  };
}

/** The roles the signed-in person holds in an organization today. */
export function rolesIn(org: OrgInfo | undefined): Role[] {
  const user = session.me?.user;
  return user && org ? rolesInOrg(user, org) : [];
}
export const mayCount = (roles: readonly Role[]) => roles.some((r) => COMMITTEE_ROLES.includes(r));
export const mayConfirm = (roles: readonly Role[]) => roles.some((r) => CONFIRMING_ROLES.includes(r));

export function stocktakeList() {
  const docs = live(() => assetsCollection()?.find({ selector: { type: STOCKTAKE } }).$, []);
  const list = $derived(
    plain<StocktakeDoc>(docs.current).sort((a, b) => b.data.startedAt.localeCompare(a.data.startedAt))
  );
  return {
    get list() {
      return list;
    },
    get loaded() {
      return docs.loaded;
    }
  };
}

/** Distinct sites of an organization's register, for the start form and the counting site. */
export function registerOf(orgId: () => string | undefined) {
  const docs = live(() => {
    const org = orgId();
    return org ? assetsCollection()?.find({ selector: { type: 'asset', orgId: org } }).$ : null;
  }, []);
  const assets = $derived(plain<RegisterAsset & { orgId: string }>(docs.current));
  const sites = $derived(
    assets
      .map((a) => a.site?.trim())
      .filter((s): s is string => !!s)
      .sort(compareCzech)
      .filter((s, i, all) => i === 0 || s !== all[i - 1])
  );
  return {
    get assets() {
      return assets;
    },
    get sites() {
      return sites;
    },
    get loaded() {
      return docs.loaded;
    }
  };
}

export function stocktakeView(id: () => string) {
  const one = live(() => assetsCollection()?.findOne(id()).$, null);
  const stocktake = $derived((one.current?.toJSON() as StocktakeDoc | undefined) ?? null);
  const scanDocs = live(() => assetsCollection()?.find({ selector: { type: STOCKTAKE_SCAN, refId: id() } }).$, []);
  const decisionDocs = live(
    () => assetsCollection()?.find({ selector: { type: STOCKTAKE_DECISION, refId: id() } }).$,
    []
  );
  const register = registerOf(() => stocktake?.orgId);
  const scans = $derived(plain<ScanDoc>(scanDocs.current));
  const decisions = $derived(plain<DecisionDoc>(decisionDocs.current));
  const scope = $derived(stocktake ? { orgId: stocktake.orgId, site: stocktake.site } : null);
  // A closed stocktake is reconciled against the register it was closed with: what was signed.
  const counted = $derived(
    stocktake?.state === 'closed' && stocktake.data.register ? stocktake.data.register : register.assets
  );
  const rec = $derived(scope ? reconcile(counted, scope, scans.map(toScan)) : null);
  const soupis = $derived(
    rec && stocktake && scope
      ? buildSoupis(rec, {
          scope,
          startedAt: stocktake.data.startedAt,
          closedAt: stocktake.data.closedAt,
          committee: stocktake.data.committee
        })
      : null
  );
  const proposals = $derived(rec && scope ? proposalsOf(rec, scope) : []);
  return {
    get stocktake() {
      return stocktake;
    },
    get loaded() {
      return one.loaded && register.loaded;
    },
    get scans() {
      return scans;
    },
    get decisions() {
      return decisions;
    },
    get register() {
      return register.assets;
    },
    get sites() {
      return register.sites;
    },
    get rec() {
      return rec;
    },
    get soupis() {
      return soupis;
    },
    get proposals() {
      return proposals;
    }
  };
}
export type StocktakeView = ReturnType<typeof stocktakeView>;

const DEVICE_KEY = 'ict.stocktake.device';
/** A random id per device, so the soupis can tell two phones' scans apart. */
export function deviceId(): string {
  let id = localStorage.getItem(DEVICE_KEY);
  if (!id) {
    id = `d-${crypto.randomUUID().slice(0, 8)}`;
    localStorage.setItem(DEVICE_KEY, id);
  }
  return id;
}
