/**
 * The winter module's data on the device, as runes state: the deník entries of the road
 * maintenance organization, and the region's sections, operating plans, alerts and IZS
 * records, with each section's state recomputed as entries arrive and once a minute. The one
 * place the screens read from, so a change of how region data is stored on the device is a
 * change here only.
 */
import type { RxCollection } from 'rxdb';
import type { AlertDoc, DispatchEntry, IzsDoc, SectionRef, WinterPlan } from '$lib/domain/dispatch';
import { calamityByDistrict, planAt, sectionStates } from '$lib/domain/dispatch';
import { live } from '$lib/ui/live.svelte';
import { minuteClock } from '$lib/ui/sla/minute-clock.svelte';
import { session } from '$lib/ui/session.svelte';

export type Section = SectionRef & { name: string; road: string; path: [number, number][]; lengthKm?: number };

function collections() {
  const c = session.db?.collections;
  if (!c) return null;
  return {
    dispatch: c.dispatch as RxCollection<DispatchEntry>,
    sections: c.sections as RxCollection<Section>,
    catalog: c.catalog as RxCollection<Partial<WinterPlan> & { kind: string }>,
    alerts: c.alerts as RxCollection<AlertDoc>,
    izs: c.izs as RxCollection<IzsDoc>
  };
}

const toIso = (ms: number) => new Date(ms).toISOString();
const plain = <T>(docs: { toJSON(): unknown }[]): T[] => docs.map((d) => d.toJSON() as T);

export function winterData() {
  const c = $derived(collections());
  const entries = live(() => c?.dispatch.find().$, []);
  const sections = live(() => c?.sections.find().$, []);
  const plans = live(() => c?.catalog.find({ selector: { kind: 'winter-plan' } }).$, []);
  const alerts = live(() => c?.alerts.find().$, []);
  const izs = live(() => c?.izs.find().$, []);

  const entryList = $derived(plain<DispatchEntry>(entries.current));
  const sectionList = $derived(
    plain<Section>(sections.current).sort(
      (a, b) =>
        a.district.localeCompare(b.district) || a.order.localeCompare(b.order) || a.name.localeCompare(b.name, 'cs')
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

  return {
    get collections() {
      return c;
    },
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
