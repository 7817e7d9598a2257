/**
 * A winter evening in the demo: crew reports, confirmations, vehicles sent out, treatments,
 * a calamity in the Klatovy district's mountains lifted again, an alert and a hand-off to
 * IZS with its receipt. Times are minutes before seeding; the server seeds them, so each
 * carries its receipt time a few seconds after the device time.
 */
import type { Clock } from './samples';
import { DEMO_WINTER_SECTIONS } from './sections';

type Doc = Record<string, unknown> & { id: string };

const sectionOf = (district: string, n: number) => DEMO_WINTER_SECTIONS.filter((s) => s.district === district)[n];
const mid = (s: (typeof DEMO_WINTER_SECTIONS)[number]) => s.path[1];

export function winterSamples(at: Clock): { dispatch: Doc[]; izs: Doc[]; alerts: Doc[] } {
  let n = 0;
  const stamp = (by: string, minutesAgo: number) => {
    const t = at(minutesAgo);
    const received = new Date(Date.parse(t) + 4000).toISOString();
    return { createdBy: by, createdAt: t, updatedBy: by, updatedAt: t, receivedAt: received };
  };
  const entry = (by: string, minutesAgo: number, fields: Record<string, unknown>): Doc => ({
    id: `disp-sus-${String(++n).padStart(4, '0')}`,
    orgId: 'sus',
    ...fields,
    ...stamp(by, minutesAgo)
  });
  const kt0 = sectionOf('KT', 0);
  const kt2 = sectionOf('KT', 2);
  const do1 = sectionOf('DO', 1);
  const ps0 = sectionOf('PS', 0);
  const ro3 = sectionOf('RO', 3);
  const dispatch: Doc[] = [
    entry('dispecer', 300, { entry: 'log', district: 'KT', text: 'Převzetí služby, na Šumavě sněží, teplota -4 °C.' }),
    entry('silnicar.kt', 240, {
      entry: 'report',
      district: 'KT',
      reportType: 'snow',
      severity: 2,
      sectionId: kt2.id,
      lat: mid(kt2)[0],
      lon: mid(kt2)[1],
      accuracy: 12,
      text: 'Sněží, na vozovce 3 cm.'
    }),
    entry('dispecer', 236, { entry: 'confirmation', district: 'KT', refId: 'disp-sus-0002', sectionId: kt2.id }),
    entry('dispecer', 235, {
      entry: 'assignment',
      district: 'KT',
      sectionId: kt2.id,
      crew: 'silnicar.kt',
      vehicle: 'KT-3 sypač'
    }),
    entry('silnicar.kt', 150, {
      entry: 'treatment',
      district: 'KT',
      sectionId: kt2.id,
      startedAt: at(200),
      endedAt: at(150),
      method: 'both',
      material: 'salt',
      amountT: 2.5,
      vehicle: 'KT-3 sypač'
    }),
    entry('dispecer', 140, {
      entry: 'calamity',
      district: 'KT',
      calamity: true,
      text: 'Kalamitní stav na Šumavě, vydatné sněžení a vítr.'
    }),
    entry('silnicar.kt', 95, {
      entry: 'report',
      district: 'KT',
      reportType: 'fallen_tree',
      severity: 3,
      sectionId: kt0.id,
      lat: mid(kt0)[0],
      lon: mid(kt0)[1],
      accuracy: 25,
      text: 'Spadlý strom přes celou vozovku.'
    }),
    entry('dispecer', 60, {
      entry: 'calamity',
      district: 'KT',
      calamity: false,
      text: 'Sněžení ustalo, kalamitní stav odvolán.'
    }),
    entry('dispecer', 50, {
      entry: 'report',
      district: 'DO',
      reportType: 'black_ice',
      severity: 3,
      sectionId: do1.id,
      lat: mid(do1)[0],
      lon: mid(do1)[1],
      text: 'Hlášení Policie ČR: náledí za Horšovským Týnem.'
    }),
    entry('dispecer', 45, {
      entry: 'assignment',
      district: 'DO',
      sectionId: do1.id,
      crew: 'silnicar.kt',
      vehicle: 'DO-1 sypač'
    }),
    entry('dispecer', 30, {
      entry: 'report',
      district: 'PS',
      reportType: 'drifts',
      severity: 2,
      sectionId: ps0.id,
      lat: mid(ps0)[0],
      lon: mid(ps0)[1],
      text: 'Závěje u Kaznějova.'
    }),
    entry('dispecer', 20, {
      entry: 'report',
      district: 'RO',
      reportType: 'slush',
      severity: 1,
      sectionId: ro3.id,
      lat: mid(ro3)[0],
      lon: mid(ro3)[1]
    }),
    entry('silnicar.kt', 10, {
      entry: 'position',
      district: 'KT',
      lat: kt0.path[0][0],
      lon: kt0.path[0][1],
      accuracy: 8,
      vehicle: 'KT-3 sypač'
    })
  ];
  const izs: Doc[] = [
    {
      id: 'izs-handoff-0001',
      entry: 'handoff',
      district: 'KT',
      refId: 'disp-sus-0007',
      title: `Uzavírka ${kt0.road} ${kt0.name}: spadlý strom`,
      text: 'Silnice neprůjezdná, odstraňuje cestmistrovství Klatovy.',
      lat: mid(kt0)[0],
      lon: mid(kt0)[1],
      ...stamp('dispecer', 90)
    },
    { id: 'receipt:izs-handoff-0001', entry: 'receipt', handoffId: 'izs-handoff-0001', ...stamp('izs', 84) }
  ];
  const alerts: Doc[] = [
    {
      id: 'alert-demo-0001',
      district: 'KT',
      title: 'Mrznoucí déšť od 3:00',
      text: 'ČHMÚ varuje před mrznoucím deštěm, připravte sypače.',
      severity: 3,
      ...stamp('dispecer', 180)
    }
  ];
  return { dispatch, izs, alerts };
}
