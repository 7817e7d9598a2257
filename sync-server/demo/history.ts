/**
 * Seven months of resolved helpdesk work in every demo organization, so that the dashboards,
 * the SLA compliance figure and the contractor report show what they are for on the first
 * start. Deterministic: a seeded generator per organization, times counted back from `now`
 * (the same history, moved along with the day the demo is started).
 *
 * Each ticket is what the gateway would have stored: reported in working hours (a P1 at any
 * hour), routed by the server (`system`) to the district's contractor for on-site categories or
 * to the central IT queue otherwise, taken up, resolved with a summary, most closed by their
 * requester a day later; every event stamped with its receipt time. Response and resolution
 * delays are drawn as fractions of the SLA target, counted on the policy's own calendar: about
 * one ticket in six misses its resolution target, so the report has penalties to show.
 */
import { DEMO_SLA } from './catalog';
import { DEMO_ORGS } from './region';
import { addBusinessMinutes, calendarByName, type CalendarName } from '../../src/lib/domain/sla/calendar';

type Doc = Record<string, unknown> & { id: string };
export type Clock = (minutesAgo: number) => string;

/** Days of history; the report's months all have data. */
export const HISTORY_DAYS = 214;
const DAY_MS = 24 * 60 * 60_000;
/** Resolved tickets per organization over the whole history. */
const PER_ORG = 48;
const MINUTE = 60_000;

/**
 * The contractors of the region's districts over the history; the current one of Klatovsko and
 * Domažlicko (`technik.kt`) is also in the catalog's routing rule.
 */
export const HISTORY_CONTRACTORS: Record<string, string> = {
  KT: 'technik.kt',
  DO: 'technik.kt',
  PM: 'servis.plzen',
  PS: 'servis.plzen',
  PJ: 'servis.plzen',
  TC: 'servis.zapad',
  RO: 'servis.zapad'
};

const WORK = [
  { title: 'Projektor v aule nesvítí', category: 'cat-hardware', priority: 'P3', fix: 'Vyměněna lampa projektoru.' },
  { title: 'Počítač se nespustí', category: 'cat-hardware', priority: 'P2', fix: 'Vyměněn zdroj počítače.' },
  {
    title: 'Tiskárna tiskne pruhy',
    category: 'cat-printer',
    priority: 'P4',
    fix: 'Vyčištěn fixační válec, nový toner.'
  },
  {
    title: 'Skener neodesílá do e-mailu',
    category: 'cat-printer',
    priority: 'P3',
    fix: 'Opraveno nastavení SMTP skeneru.'
  },
  {
    title: 'Wi-Fi v budově vypadává',
    category: 'cat-network',
    priority: 'P2',
    fix: 'Vyměněn přístupový bod ve 2. patře.'
  },
  {
    title: 'Celá budova bez internetu',
    category: 'cat-network',
    priority: 'P1',
    fix: 'Vyměněn router, připojení obnoveno.'
  },
  {
    title: 'Instalace programu pro výuku',
    category: 'cat-software',
    priority: 'P4',
    fix: 'Program nainstalován na 12 stanic.'
  },
  {
    title: 'Aktualizace účetního programu',
    category: 'cat-software',
    priority: 'P3',
    fix: 'Aktualizace provedena, data ověřena.'
  },
  {
    title: 'Zablokovaný účet po změně hesla',
    category: 'cat-account',
    priority: 'P2',
    fix: 'Účet odblokován, heslo nastaveno znovu.'
  },
  {
    title: 'Nový zaměstnanec potřebuje přístupy',
    category: 'cat-account',
    priority: 'P3',
    fix: 'Založen účet a skupiny.'
  },
  { title: 'Dotaz k zálohování dat', category: 'cat-other', priority: 'P4', fix: 'Vysvětlen postup obnovy ze zálohy.' }
] as const;
const ON_SITE = new Set(['cat-hardware', 'cat-printer', 'cat-network']);

/** Requesters of each organization's history: its demo people where there are some. */
const REQUESTERS: Record<string, string[]> = {
  'gym-kt': ['ucitel.gymkt', 'reditel.gymkt', 'ucetni.gymkt'],
  'sos-do': ['ucitel.sosdo'],
  sus: ['dispecer', 'silnicar.kt']
};

/** mulberry32: small, fast, and the same sequence on every machine. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The next working-hours instant at or after `ms` (Prague), for a report made at work. */
function atWork(ms: number, rand: () => number): number {
  return addBusinessMinutes(ms, 1 + Math.floor(rand() * 420), calendarByName('business')).getTime();
}

function historyTicket(orgId: string, n: number, district: string, createdMs: number, rand: () => number): Doc {
  const work = WORK[Math.floor(rand() * WORK.length)];
  const sla = DEMO_SLA.find((s) => s.priority === work.priority)!;
  const cal = calendarByName(sla.calendar as CalendarName);
  const people = REQUESTERS[orgId] ?? ['helpdesk'];
  const requester = people[Math.floor(rand() * people.length)];
  const contractor = ON_SITE.has(work.category) ? HISTORY_CONTRACTORS[district] : undefined;
  const assignee = contractor ? { queue: 'contractor' as const, userId: contractor } : { queue: 'central' as const };
  const resolver = contractor ?? 'helpdesk';
  const late = rand() < 0.17;
  const respondedMs = addBusinessMinutes(createdMs, sla.responseMinutes * (0.1 + rand() * 0.7), cal).getTime();
  const resolvedMs = addBusinessMinutes(
    createdMs,
    sla.resolutionMinutes * (late ? 1.15 + rand() * 1.5 : 0.2 + rand() * 0.7),
    cal
  ).getTime();
  const id = `tkt-${orgId}-h${String(n).padStart(4, '0')}`;
  const event = (k: number, ms: number, by: string, rest: Record<string, unknown>) => ({
    id: `${id}-e${k}`,
    at: iso(ms),
    receivedAt: iso(ms),
    by,
    ...rest
  });
  const events = [
    event(1, createdMs, requester, { kind: 'status', to: 'new' }),
    event(2, createdMs + MINUTE, 'system', { kind: 'assign', assignee }),
    event(3, Math.max(respondedMs, createdMs + 2 * MINUTE), resolver, { kind: 'status', to: 'in_progress' }),
    event(4, Math.max(resolvedMs, respondedMs + MINUTE, createdMs + 3 * MINUTE), resolver, {
      kind: 'status',
      to: 'resolved',
      text: work.fix
    })
  ];
  const closed = rand() < 0.7;
  const lastMs = Date.parse(events[3].at);
  if (closed) events.push(event(5, lastMs + 24 * 60 * MINUTE, requester, { kind: 'status', to: 'closed' }));
  const last = events[events.length - 1];
  return {
    id,
    orgId,
    title: work.title,
    description: `${work.title}. Nahlášeno z organizace ${orgId}.`,
    category: work.category,
    priority: work.priority,
    requester,
    status: closed ? 'closed' : 'resolved',
    assignee,
    events,
    createdBy: requester,
    createdAt: iso(createdMs),
    updatedBy: last.by,
    updatedAt: last.at,
    receivedAt: iso(createdMs)
  };
}

/** Cards of the contractors who appear only in the history (no account: their contracts are paperwork here). */
export const HISTORY_PEOPLE = [
  { id: 'servis.plzen', name: 'PC Servis Plzeň s.r.o. (Plzeňsko)', title: 'Smluvní servis ICT' },
  { id: 'servis.zapad', name: 'Západočeský IT servis s.r.o. (Tachovsko a Rokycansko)', title: 'Smluvní servis ICT' }
] as const;

/** Resolved tickets of the last `HISTORY_DAYS` days per organization, oldest first. */
export function historyTickets(at: Clock): Map<string, Doc[]> {
  // Counted back from the day's start (UTC), not from this minute: resolution times follow the
  // working hours, so which tickets end before the anchor, and their order, depend on the hour.
  // Anchored to the minute, a seed run later the same day (a restart, a test's second seed)
  // found a ticket that had not fitted before and added it.
  const now = Math.floor(Date.parse(at(0)) / DAY_MS) * DAY_MS;
  const out = new Map<string, Doc[]>();
  DEMO_ORGS.forEach((org, index) => {
    const rand = generator(0x5eed + index * 7919);
    const span = (HISTORY_DAYS - 3) * 24 * 60 * MINUTE;
    const created = Array.from({ length: PER_ORG }, () => now - HISTORY_DAYS * 24 * 60 * MINUTE + rand() * span)
      .map((ms) => atWork(ms, rand))
      .sort((a, b) => a - b);
    // Resolution lies in the past even for the newest ones: the history ends three days ago.
    out.set(
      org.id,
      created
        .map((ms, i) => historyTicket(org.id, i + 1, org.district, ms, rand))
        .filter((t) => Date.parse(t.updatedAt as string) < now)
    );
  });
  return out;
}
