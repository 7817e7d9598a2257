/**
 * Demo catalog (the road network is in sections.ts). SLA targets are minutes of the policy's calendar
 * (business: working days 8:00–16:00 Europe/Prague without Czech public holidays, so one
 * business day is 480 minutes).
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
  {
    id: 'sla-p1',
    priority: 'P1',
    name: 'P1 – kritická (nepřetržitě)',
    nameEn: 'P1 – critical (24×7)',
    calendar: '24x7',
    responseMinutes: 60,
    resolutionMinutes: 240,
    penalty: 2000
  },
  {
    id: 'sla-p2',
    priority: 'P2',
    name: 'P2 – vysoká',
    nameEn: 'P2 – high',
    calendar: 'business',
    responseMinutes: 120,
    resolutionMinutes: 480,
    penalty: 1000
  },
  {
    id: 'sla-p3',
    priority: 'P3',
    name: 'P3 – běžná',
    nameEn: 'P3 – normal',
    calendar: 'business',
    responseMinutes: 240,
    resolutionMinutes: 1440,
    penalty: 500
  },
  {
    id: 'sla-p4',
    priority: 'P4',
    name: 'P4 – nízká',
    nameEn: 'P4 – low',
    calendar: 'business',
    responseMinutes: 480,
    resolutionMinutes: 2880,
    penalty: 200
  }
] as const;

export const DEMO_CONTRACTORS = [
  {
    id: 'contractor-technik-kt',
    name: 'ICT Servis Šumava s.r.o. (Klatovsko a Domažlicko)',
    userId: 'technik.kt',
    districts: ['KT', 'DO']
  }
] as const;
