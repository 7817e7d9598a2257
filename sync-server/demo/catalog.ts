/**
 * Demo catalog and road network. SLA targets are minutes of the policy's calendar
 * (business: working days 8:00–16:00 Europe/Prague without Czech public holidays, so one
 * business day is 480 minutes). Section paths are [lat, lon] pairs (Leaflet's order).
 */

/** `onSite`: work done at the organization, routed to the district's contractor. */
export const DEMO_CATEGORIES = [
  { id: 'cat-hardware', name: 'Oprava hardwaru', nameEn: 'Hardware repair', price: 450, onSite: true },
  { id: 'cat-printer', name: 'Tiskárny a skenery', nameEn: 'Printers and scanners', price: 350, onSite: true },
  { id: 'cat-software', name: 'Instalace softwaru', nameEn: 'Software installation', price: 300, onSite: false },
  { id: 'cat-network', name: 'Síť a připojení', nameEn: 'Network and connectivity', price: 600, onSite: true },
  { id: 'cat-account', name: 'Účty a přístupy', nameEn: 'Accounts and access', price: 200, onSite: false },
  { id: 'cat-other', name: 'Ostatní', nameEn: 'Other', price: 250, onSite: false }
] as const;

export const DEMO_SLA = [
  { id: 'sla-p1', priority: 'P1', name: 'P1 – kritická (nepřetržitě)', nameEn: 'P1 – critical (24×7)', calendar: '24x7', responseMinutes: 60, resolutionMinutes: 240, penalty: 2000 },
  { id: 'sla-p2', priority: 'P2', name: 'P2 – vysoká', nameEn: 'P2 – high', calendar: 'business', responseMinutes: 120, resolutionMinutes: 480, penalty: 1000 },
  { id: 'sla-p3', priority: 'P3', name: 'P3 – běžná', nameEn: 'P3 – normal', calendar: 'business', responseMinutes: 240, resolutionMinutes: 1440, penalty: 500 },
  { id: 'sla-p4', priority: 'P4', name: 'P4 – nízká', nameEn: 'P4 – low', calendar: 'business', responseMinutes: 480, resolutionMinutes: 2880, penalty: 200 }
] as const;

export const DEMO_CONTRACTORS = [
  { id: 'contractor-technik-kt', name: 'ICT Servis Šumava s.r.o. (Klatovsko a Domažlicko)', userId: 'technik.kt', districts: ['KT', 'DO'] }
] as const;

type Point = [number, number];
export interface DemoSection {
  id: string;
  name: string;
  road: string;
  district: 'PM' | 'PS' | 'PJ' | 'KT' | 'DO' | 'TC' | 'RO';
  order: 'I' | 'II' | 'III';
  lengthKm: number;
  path: Point[];
}

export const DEMO_SECTIONS: DemoSection[] = [
  { id: 'sec-i27-kt-janovice', name: 'Klatovy – Janovice nad Úhlavou', road: 'I/27', district: 'KT', order: 'I', lengthKm: 11.2, path: [[49.3955, 13.2951], [49.3702, 13.2731], [49.3431, 13.2449], [49.3214, 13.2183]] },
  { id: 'sec-i27-kt-svihov', name: 'Klatovy – Švihov', road: 'I/27', district: 'KT', order: 'I', lengthKm: 10.6, path: [[49.3955, 13.2951], [49.4234, 13.2952], [49.4541, 13.2901], [49.4783, 13.2838]] },
  { id: 'sec-i22-kt-kdyne', name: 'Klatovy – Bezděkov – Kdyně (hranice okresu)', road: 'I/22', district: 'KT', order: 'I', lengthKm: 17.9, path: [[49.3955, 13.2951], [49.3799, 13.2350], [49.3884, 13.1502], [49.3902, 13.0812]] },
  { id: 'sec-ii185-kt-nalzovy', name: 'Klatovy – Nalžovské Hory', road: 'II/185', district: 'KT', order: 'II', lengthKm: 19.4, path: [[49.3955, 13.2951], [49.3817, 13.3622], [49.3578, 13.4451], [49.3320, 13.5470]] },
  { id: 'sec-ii191-kt-nyrsko', name: 'Janovice nad Úhlavou – Nýrsko', road: 'II/191', district: 'KT', order: 'II', lengthKm: 9.8, path: [[49.3214, 13.2183], [49.3081, 13.1812], [49.2939, 13.1434]] },
  { id: 'sec-iii-kt-desenice', name: 'Janovice nad Úhlavou – Dešenice', road: 'III/19019', district: 'KT', order: 'III', lengthKm: 7.1, path: [[49.3214, 13.2183], [49.2955, 13.1958], [49.2685, 13.1733]] },
  { id: 'sec-i22-do-kdyne', name: 'Kdyně – Domažlice', road: 'I/22', district: 'DO', order: 'I', lengthKm: 12.3, path: [[49.3902, 13.0812], [49.3906, 13.0397], [49.4172, 12.9811], [49.4405, 12.9298]] },
  { id: 'sec-i26-do-folmava', name: 'Domažlice – Folmava (státní hranice)', road: 'I/26', district: 'DO', order: 'I', lengthKm: 10.1, path: [[49.4405, 12.9298], [49.4020, 12.8650], [49.3652, 12.8553]] },
  { id: 'sec-ii193-do-htyn', name: 'Domažlice – Horšovský Týn', road: 'II/193', district: 'DO', order: 'II', lengthKm: 10.4, path: [[49.4405, 12.9298], [49.4866, 12.9371], [49.5293, 12.9446]] },
  { id: 'sec-i26-pm-plzenec', name: 'Plzeň – Starý Plzenec', road: 'I/26', district: 'PM', order: 'I', lengthKm: 7.3, path: [[49.7370, 13.4010], [49.7191, 13.4355], [49.7000, 13.4700]] },
  { id: 'sec-ii180-ps-tremosna', name: 'Plzeň – Třemošná', road: 'II/180', district: 'PS', order: 'II', lengthKm: 6.2, path: [[49.7720, 13.3700], [49.7941, 13.3822], [49.8160, 13.3950]] },
  { id: 'sec-i20-pj-nepomuk', name: 'Vlčice – Nepomuk', road: 'I/20', district: 'PJ', order: 'I', lengthKm: 14.0, path: [[49.6000, 13.5400], [49.5430, 13.5611], [49.4860, 13.5820]] },
  { id: 'sec-ii232-ro-radnice', name: 'Rokycany – Radnice', road: 'II/232', district: 'RO', order: 'II', lengthKm: 14.8, path: [[49.7426, 13.5947], [49.8004, 13.5992], [49.8560, 13.6050]] },
  { id: 'sec-ii199-tc-plana', name: 'Tachov – Planá', road: 'II/199', district: 'TC', order: 'II', lengthKm: 11.5, path: [[49.7950, 12.6330], [49.8318, 12.6890], [49.8680, 12.7440]] },
  { id: 'sec-iii-tc-halze', name: 'Tachov – Halže', road: 'III/19913', district: 'TC', order: 'III', lengthKm: 6.9, path: [[49.7950, 12.6330], [49.7762, 12.5804], [49.7542, 12.5382]] }
];
