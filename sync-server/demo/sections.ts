/**
 * Demo road network of SÚS PK: II. and III. class roads (the region does not maintain
 * I. class roads) in all seven districts of the Plzeň Region, between real towns at their
 * approximate positions, with the pořadí důležitosti a real operating plan might give them.
 * Paths are `[lat, lon]`, bent a little between the towns so they read as roads on the map.
 * Also the demo operating plan (deadlines 3 / 6 / 12 h, no II./III. order service 22:00–02:00).
 */
import { pathLengthKm, type LatLon } from '../../src/lib/domain/dispatch/geo';
import type { District } from '../../src/lib/domain/schemas/region';

type Town = readonly [string, number, number];

const TOWNS: Record<District, Record<string, Town>> = {
  KT: {
    kt: ['Klatovy', 49.395, 13.295],
    su: ['Sušice', 49.231, 13.52],
    ho: ['Horažďovice', 49.321, 13.701],
    ny: ['Nýrsko', 49.294, 13.144],
    ja: ['Janovice nad Úhlavou', 49.321, 13.218],
    pl: ['Plánice', 49.39, 13.473],
    na: ['Nalžovské Hory', 49.334, 13.546],
    ko: ['Kolinec', 49.299, 13.439],
    zr: ['Železná Ruda', 49.137, 13.235],
    ha: ['Hartmanice', 49.17, 13.456],
    sv: ['Švihov', 49.43, 13.284],
    de: ['Dešenice', 49.269, 13.173],
    ve: ['Velhartice', 49.264, 13.39],
    bz: ['Bezděkov', 49.375, 13.222]
  },
  DO: {
    do: ['Domažlice', 49.44, 12.93],
    ht: ['Horšovský Týn', 49.529, 12.944],
    kd: ['Kdyně', 49.39, 13.04],
    po: ['Poběžovice', 49.51, 12.8],
    st: ['Staňkov', 49.553, 13.07],
    kl: ['Klenčí pod Čerchovem', 49.435, 12.817],
    vs: ['Všeruby', 49.343, 12.983],
    hs: ['Hostouň', 49.56, 12.771],
    be: ['Bělá nad Radbuzou', 49.591, 12.718],
    mr: ['Mrákov', 49.402, 12.952],
    fo: ['Folmava', 49.365, 12.86]
  },
  TC: {
    tc: ['Tachov', 49.795, 12.633],
    pl: ['Planá', 49.868, 12.744],
    sb: ['Stříbro', 49.753, 12.99],
    bo: ['Bor', 49.712, 12.775],
    pr: ['Přimda', 49.669, 12.674],
    kl: ['Konstantinovy Lázně', 49.88, 12.979],
    kr: ['Kladruby', 49.715, 12.98],
    ce: ['Černošín', 49.818, 12.883],
    ha: ['Halže', 49.754, 12.538],
    cp: ['Chodová Planá', 49.893, 12.73],
    ro: ['Rozvadov', 49.668, 12.555]
  },
  PS: {
    kr: ['Kralovice', 49.982, 13.488],
    ma: ['Manětín', 49.992, 13.233],
    tr: ['Třemošná', 49.816, 13.395],
    ka: ['Kaznějov', 49.893, 13.383],
    pl: ['Plasy', 49.934, 13.391],
    hb: ['Horní Bříza', 49.84, 13.355],
    db: ['Dolní Bělá', 49.898, 13.276],
    ne: ['Nečtiny', 49.975, 13.166],
    ml: ['Mladotice', 49.986, 13.365],
    vs: ['Všeruby', 49.838, 13.22]
  },
  PM: {
    bo: ['Plzeň-Bolevec', 49.781, 13.38],
    kr: ['Plzeň-Křimice', 49.76, 13.306],
    ra: ['Radčice', 49.772, 13.321],
    li: ['Plzeň-Litice', 49.704, 13.347],
    lh: ['Plzeň-Lhota', 49.71, 13.3],
    ce: ['Černice', 49.713, 13.427],
    bz: ['Božkov', 49.734, 13.44],
    uj: ['Plzeň-Újezd', 49.777, 13.44],
    sp: ['Starý Plzenec', 49.698, 13.474],
    ma: ['Malesice', 49.76, 13.29],
    ko: ['Koterov', 49.727, 13.42]
  },
  PJ: {
    pr: ['Přeštice', 49.573, 13.334],
    ne: ['Nepomuk', 49.486, 13.582],
    bl: ['Blovice', 49.582, 13.54],
    sp: ['Spálené Poříčí', 49.614, 13.605],
    do: ['Dobřany', 49.655, 13.293],
    st: ['Stod', 49.639, 13.165],
    ch: ['Chotěšov', 49.654, 13.203],
    me: ['Merklín', 49.56, 13.198],
    zi: ['Žinkovy', 49.49, 13.49],
    ka: ['Kasejovice', 49.463, 13.741],
    nz: ['Nezvěstice', 49.641, 13.519],
    dn: ['Dnešice', 49.604, 13.262]
  },
  RO: {
    ro: ['Rokycany', 49.743, 13.595],
    ra: ['Radnice', 49.857, 13.606],
    zb: ['Zbiroh', 49.86, 13.772],
    mi: ['Mirošov', 49.686, 13.657],
    hr: ['Hrádek', 49.713, 13.655],
    st: ['Strašice', 49.736, 13.755],
    my: ['Mýto', 49.792, 13.735],
    ho: ['Holoubkov', 49.777, 13.696],
    ka: ['Kařez', 49.819, 13.78],
    br: ['Břasy', 49.836, 13.575],
    te: ['Terešov', 49.892, 13.7]
  }
};

/** [from, to, road, order, unmaintained?] per district. */
type Link = readonly [string, string, string, 'I' | 'II' | 'III', boolean?];

const LINKS: Record<District, Link[]> = {
  KT: [
    ['kt', 'ja', 'II/191', 'I'],
    ['ja', 'ny', 'II/191', 'II'],
    ['kt', 'pl', 'II/186', 'II'],
    ['pl', 'na', 'II/186', 'II'],
    ['su', 'ho', 'II/169', 'I'],
    ['su', 'ha', 'II/145', 'II'],
    ['ko', 've', 'III/17118', 'III'],
    ['ja', 'de', 'III/19019', 'III'],
    ['kt', 'sv', 'II/182', 'II'],
    ['sv', 'bz', 'III/18210', 'III'],
    ['ha', 'zr', 'III/14516', 'III', true],
    ['na', 'ho', 'II/188', 'II']
  ],
  DO: [
    ['do', 'ht', 'II/193', 'I'],
    ['ht', 'st', 'II/185', 'I'],
    ['do', 'kl', 'III/18415', 'III'],
    ['do', 'po', 'II/195', 'II'],
    ['po', 'hs', 'II/195', 'II'],
    ['hs', 'be', 'II/197', 'II'],
    ['kd', 'vs', 'III/18414', 'III'],
    ['do', 'mr', 'III/18421', 'III'],
    ['mr', 'fo', 'III/18422', 'III', true],
    ['kd', 'mr', 'II/184', 'II']
  ],
  TC: [
    ['tc', 'pl', 'II/230', 'I'],
    ['tc', 'bo', 'II/198', 'II'],
    ['bo', 'sb', 'II/193', 'II'],
    ['tc', 'ha', 'III/19913', 'III'],
    ['tc', 'pr', 'II/605', 'II'],
    ['pr', 'ro', 'III/6053', 'III'],
    ['pl', 'cp', 'II/230', 'II'],
    ['sb', 'kl', 'II/201', 'II'],
    ['ce', 'pl', 'III/19820', 'III'],
    ['sb', 'kr', 'II/605', 'I']
  ],
  PS: [
    ['tr', 'ka', 'II/231', 'I'],
    ['ka', 'pl', 'II/231', 'I'],
    ['pl', 'kr', 'II/229', 'II'],
    ['tr', 'hb', 'II/231', 'II'],
    ['hb', 'db', 'III/2317', 'III'],
    ['db', 'ma', 'II/201', 'II'],
    ['ma', 'ne', 'II/201', 'II'],
    ['pl', 'ml', 'III/2292', 'III'],
    ['vs', 'db', 'III/2044', 'III'],
    ['ne', 'ma', 'III/20113', 'III', true]
  ],
  PM: [
    ['bo', 'uj', 'II/231', 'I'],
    ['kr', 'ma', 'II/180', 'I'],
    ['ra', 'bo', 'III/18025', 'II'],
    ['li', 'lh', 'II/183', 'II'],
    ['ce', 'bz', 'III/18026', 'III'],
    ['bz', 'sp', 'II/180', 'I'],
    ['ko', 'ce', 'III/18027', 'III'],
    ['kr', 'ra', 'III/18030', 'II']
  ],
  PJ: [
    ['pr', 'dn', 'II/230', 'I'],
    ['do', 'ch', 'II/183', 'II'],
    ['ch', 'st', 'II/183', 'II'],
    ['st', 'me', 'II/182', 'II'],
    ['pr', 'bl', 'II/178', 'II'],
    ['bl', 'sp', 'II/117', 'I'],
    ['bl', 'ne', 'II/191', 'II'],
    ['ne', 'ka', 'II/191', 'II'],
    ['zi', 'ne', 'III/18812', 'III'],
    ['nz', 'bl', 'III/17710', 'III'],
    ['dn', 'do', 'III/18011', 'III']
  ],
  RO: [
    ['ro', 'br', 'II/232', 'I'],
    ['br', 'ra', 'II/232', 'II'],
    ['ro', 'hr', 'II/117', 'I'],
    ['hr', 'mi', 'II/117', 'II'],
    ['ro', 'ho', 'II/605', 'II'],
    ['ho', 'my', 'II/605', 'II'],
    ['my', 'st', 'III/2349', 'III'],
    ['my', 'ka', 'III/2343', 'III'],
    ['ka', 'zb', 'II/605', 'II'],
    ['ra', 'te', 'III/2336', 'III', true]
  ]
};

export interface DemoSection {
  id: string;
  name: string;
  road: string;
  district: District;
  order: 'I' | 'II' | 'III';
  lengthKm: number;
  unmaintained?: boolean;
  path: [number, number][];
}

/** From a to b through two bends, offset sideways so neighbouring roads do not overlap. */
function bentPath(a: LatLon, b: LatLon, salt: number): [number, number][] {
  const dLat = b[0] - a[0];
  const dLon = b[1] - a[1];
  const bend = (t: number, k: number): [number, number] => [
    +(a[0] + dLat * t - dLon * 0.08 * k).toFixed(5),
    +(a[1] + dLon * t + dLat * 0.08 * k).toFixed(5)
  ];
  const side = salt % 2 === 0 ? 1 : -1;
  return [[a[0], a[1]], bend(0.33, side), bend(0.66, -side * 0.6), [b[0], b[1]]];
}

export const DEMO_WINTER_SECTIONS: DemoSection[] = (Object.keys(LINKS) as District[]).flatMap((district) =>
  LINKS[district].map(([from, to, road, order, unmaintained], i) => {
    const a = TOWNS[district][from];
    const b = TOWNS[district][to];
    const path = bentPath([a[1], a[2]], [b[1], b[2]], i);
    return {
      id: `sec-${district.toLowerCase()}-${road.replace(/\D+/g, '')}-${from}-${to}`,
      name: `${a[0]} – ${b[0]}`,
      road,
      district,
      order,
      lengthKm: +(pathLengthKm(path) * 1.15).toFixed(1),
      ...(unmaintained ? { unmaintained: true } : {}),
      path
    };
  })
);

export const DEMO_WINTER_PLAN = {
  id: 'winter-plan-2026',
  kind: 'winter-plan',
  name: 'Operační plán zimní údržby 2026/2027',
  nameEn: 'Winter maintenance operating plan 2026/2027',
  validFrom: '2026-10-31T23:00:00.000Z',
  orders: [
    { order: 'I', deadlineMinutes: 180 },
    { order: 'II', deadlineMinutes: 360, serviceFrom: '02:00', serviceTo: '22:00' },
    { order: 'III', deadlineMinutes: 720, serviceFrom: '02:00', serviceTo: '22:00' }
  ],
  dueSoonMinutes: 60,
  handoffAckMinutes: 15
} as const;
