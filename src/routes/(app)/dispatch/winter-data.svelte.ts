/**
 * The winter module's data on the device, as runes state: the deník entries of the road
 * maintenance organization, and the region's sections, operating plans, alerts and IZS
 * records, with each section's state recomputed as entries arrive and once a minute. The one
 * place the screens read from, so a change of how region data is stored on the device is a
 * change here only.
 *
 * A season's deník grows to tens of thousands of entries; the screens read, through the
 * device's `decidedAt` index (`$lib/db/dispatch-time.ts`), the entries of the last
 * `RECENT_DAYS` days and every calamity declaration (a district may have entered calamity
 * mode weeks ago). A section last treated before that shows no treatment time and is overdue,
 * as it would be anyway; the deník page reads the day it shows (`dayEntries`).
 */
import type { RxCollection } from 'rxdb';
import { regionDocs, REGION_KIND_FIELD, type RegionKind } from '$lib/db/region';
import type { AlertDoc, DispatchEntry, IzsDoc, SectionRef, WinterPlan } from '$lib/domain/dispatch';
import { calamityByDistrict, planAt, sectionStates } from '$lib/domain/dispatch';
import { DECIDED_FIELD, dayQuery, recentFrom, recentQueries } from '$lib/db/dispatch-time';
import { live } from '$lib/ui/live.svelte';
import { combineLatest, map } from 'rxjs';
import { minuteClock } from '$lib/ui/sla/minute-clock.svelte';
import { session } from '$lib/ui/session.svelte';
import { compareCzech } from '$lib/domain/czech-order';

export type Section = SectionRef & { name: string; road: string; path: [number, number][]; lengthKm?: number };

/** An entry as the device stores it: with its own `decidedAt` (set by the collection's hooks). */
type StoredEntry = DispatchEntry & { [DECIDED_FIELD]?: string };

function dispatchCollection() {
  return (session.db?.collections.dispatch as RxCollection<StoredEntry> | undefined) ?? null;
}

/** Region data of one kind, live (the device keeps all region data in one collection). */
function region(kind: RegionKind, selector: Record<string, unknown> = {}) {
  return session.db ? regionDocs(session.db, kind, selector as never) : null;
}

const toIso = (ms: number) => new Date(ms).toISOString();

/** The entries decided from `fromIso` on, with every calamity declaration, oldest first. */
function recentEntries(dispatch: RxCollection<StoredEntry>, fromIso: string) {
  const q = recentQueries(fromIso);
  return combineLatest([dispatch.find(q.olderCalamities as never).$, dispatch.find(q.recent as never).$]).pipe(
    map(([older, lately]) => [...older, ...lately])
  );
}

/** The deník entries of one day's page (`YYYY-MM-DD`, Prague time; any day of the season). */
export function dayEntries(day: () => string) {
  const dispatch = $derived(dispatchCollection());
  const found = live(() => dispatch?.find(dayQuery(day()) as never).$, []);
  const list = $derived(plain<DispatchEntry>(found.current));
  return {
    get entries() {
      return list;
    },
    get loaded() {
      return found.loaded;
    }
  };
}
const plain = <T>(docs: { toJSON(): unknown }[]): T[] => docs.map((d) => d.toJSON() as T);

/** A new region document (alert, hand-off, receipt), written to the device and synced. */
async function insertRegion<T extends { id: string }>(kind: RegionKind, doc: T): Promise<void> {
  const c = session.db?.collections.region;
  if (!c) throw new Error('no data layer');
  await c.insert({ ...doc, [REGION_KIND_FIELD]: kind });
}

export function winterData() {
  const dispatch = $derived(dispatchCollection());
  // The window moves on the hour: its query is not asked again every minute.
  const windowStart = $derived(recentFrom(minuteClock.now));
  const entries = live(() => (dispatch ? recentEntries(dispatch, windowStart) : null), []);
  const sections = live(() => region('sections'), []);
  const plans = live(() => region('catalog', { kind: 'winter-plan' }), []);
  const alerts = live(() => region('alerts'), []);
  const izs = live(() => region('izs'), []);
  const people = live(() => region('people'), []);

  const entryList = $derived(plain<DispatchEntry>(entries.current));
  const sectionList = $derived(
    plain<Section>(sections.current).sort(
      (a, b) => a.district.localeCompare(b.district) || a.order.localeCompare(b.order) || compareCzech(a.name, b.name)
    )
  );
  const planList = $derived(plain<WinterPlan>(plans.current));
  const now = $derived(
    Math.max(
      minuteClock.now,
      ...entryList.map((e) => Date.parse(e.receivedAt ?? e.createdAt)).filter((t) => t <= Date.now() + 60_000)
    )
  );
  const states = $derived(sectionStates(sectionList, entryList, planList, now));
  const calamity = $derived(calamityByDistrict(entryList));
  const plan = $derived(planAt(planList, toIso(now)));
  // Rebuilt on every change of the list and never mutated: a plain Map is enough.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  const sectionById = $derived(new Map(sectionList.map((s) => [s.id, s])));
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  const names = $derived(new Map(plain<{ id: string; name: string }>(people.current).map((p) => [p.id, p.name])));

  return {
    /** The deník: new entries are inserted here. */
    get dispatch() {
      return dispatch;
    },
    insertRegion,
    get loaded() {
      return entries.loaded && sections.loaded;
    },
    get entries() {
      return entryList;
    },
    get sections() {
      return sectionList;
    },
    get sectionById() {
      return sectionById;
    },
    /** A person's name from the directory (the deník and the desk name people, not logins); else the login. */
    nameOf(userId: string): string {
      return names.get(userId) ?? userId;
    },
    get states() {
      return states;
    },
    get calamity() {
      return calamity;
    },
    get plan() {
      return plan;
    },
    get alerts() {
      return plain<AlertDoc>(alerts.current);
    },
    get izs() {
      return plain<IzsDoc>(izs.current);
    },
    get now() {
      return now;
    }
  };
}

export type WinterData = ReturnType<typeof winterData>;
