/**
 * Realistic helpdesk tickets for the benchmarks: Czech text, a short event history, and
 * about 1.5 KB of JSON each, deterministic for a seed so every run syncs the same bytes.
 * Documents are in CouchDB form (`_id`, no `id`), as the app's replication stores them.
 */
import { PRIORITIES, TICKET_STATUSES, type TicketStatus } from '../../src/lib/domain/schemas/tickets';

const SUBJECTS = [
  'Nefunguje tiskárna v kanceláři',
  'Počítač se nespustí',
  'Výpadek Wi-Fi v učebně',
  'Zapomenuté heslo do e-mailu',
  'Projektor nezobrazuje obraz',
  'Pomalé připojení k internetu',
  'Chyba při přihlášení do spisové služby',
  'Požadavek na instalaci programu',
  'Nový zaměstnanec potřebuje účet',
  'Telefon nemá signál v budově',
  'Záloha serveru selhala',
  'Monitor bliká a zhasíná',
  'Skener neodesílá dokumenty',
  'Výměna tonerů',
  'Certifikát pro datovou schránku vypršel',
  'Notebook se přehřívá',
  'Nelze otevřít sdílenou složku'
];
const SENTENCES = [
  'Od rána nelze pracovat, uživatelé hlásí chybu při každém pokusu o přihlášení.',
  'Problém se opakuje už třetí den, restart počítače nepomohl.',
  'Prosíme o co nejrychlejší řešení, zítra probíhají přijímací zkoušky.',
  'Na displeji se zobrazuje hláška „Přístup odepřen“ a aplikace se ukončí.',
  'Zařízení je v záruce, inventární číslo je uvedeno na štítku na zadní straně.',
  'Týká se to celé sborovny ve druhém patře a učebny výpočetní techniky.',
  'Pokusili jsme se vyměnit kabel i zásuvku, bez úspěchu.',
  'Ředitelka žádá o informaci, kdy bude závada odstraněna.',
  'Chyba nastala po poslední aktualizaci systému Windows.',
  'Uživatel potřebuje přístup k účetnímu systému kvůli uzávěrce měsíce.',
  'Připojení k síti vypadává zhruba každých deset minut.',
  'Žádáme o výjezd technika, vzdálená správa není možná.',
  'Tiskárna hlásí zaseknutý papír, ale uvnitř žádný papír není.',
  'Na pracovišti v Klatovech je situace stejná jako v Domažlicích.'
];
const COMMENTS = [
  'Přijato, technik se ozve do hodiny.',
  'Provedena vzdálená diagnostika, závada je na straně zařízení.',
  'Objednán náhradní díl, dodání do tří pracovních dnů.',
  'Čekáme na součinnost žadatele, prosíme o zpětnou vazbu.',
  'Závada odstraněna, prosíme o potvrzení funkčnosti.'
];
/** Category ids of the demo catalog. */
const CATEGORIES = ['cat-hardware', 'cat-printer', 'cat-software', 'cat-network', 'cat-account', 'cat-other'];
const SITES = ['Hlavní budova', 'Odloučené pracoviště', 'Sborovna', 'Učebna 12', 'Kancelář ředitele', 'Sklad'];

/** Small deterministic PRNG (mulberry32), so seeds reproduce the same data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface TicketDoc {
  _id: string;
  _rev?: string;
  [field: string]: unknown;
}

export interface TicketOptions {
  orgId: string;
  /** Username that creates the tickets and appears as requester. */
  user: string;
  /** Prefix of the document ids, so batches never collide. */
  idPrefix: string;
  seed?: number;
  /** Every ticket in this status (new tickets written by a user start as `new`). */
  status?: TicketStatus;
  /** Who worked on the tickets (assignments and status changes); `helpdesk` unless said. */
  agent?: string;
}

/**
 * A history that leads to `status`, as the lifecycle allows it: status and assignee on the
 * document are derived from these events and the gateway checks that they agree.
 */
function history(
  status: TicketStatus,
  id: string,
  t0: number,
  requester: string,
  agent: string,
  queue: 'central' | 'contractor'
) {
  const at = (min: number) => new Date(t0 + min * 60_000).toISOString();
  // The requester's words are in the description: comments are documents of their own
  // (`org_<org>_comments`), and the gateway refuses them inside a ticket.
  const events: Record<string, unknown>[] = [];
  if (status === 'new') return events;
  events.push({ id: `${id}-e2`, at: at(30), by: agent, kind: 'assign', assignee: { queue } });
  if (status === 'assigned') return events;
  events.push({ id: `${id}-e3`, at: at(60), by: agent, kind: 'status', to: 'in_progress' });
  if (status === 'in_progress') return events;
  if (status === 'waiting') {
    events.push({
      id: `${id}-e4`,
      at: at(90),
      by: agent,
      kind: 'status',
      to: 'waiting',
      text: 'Čekáme na vyjádření žadatele.'
    });
    return events;
  }
  events.push({
    id: `${id}-e4`,
    at: at(120),
    by: agent,
    kind: 'status',
    to: 'resolved',
    text: 'Závada odstraněna, zařízení funguje.'
  });
  if (status === 'closed') events.push({ id: `${id}-e5`, at: at(2000), by: requester, kind: 'status', to: 'closed' });
  return events;
}

export function makeTickets(count: number, opts: TicketOptions): TicketDoc[] {
  const rnd = prng(opts.seed ?? 1);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const base = Date.UTC(2025, 0, 6, 7, 0, 0);
  return Array.from({ length: count }, (_, i) => {
    const created = new Date(base + i * 97_000 + Math.floor(rnd() * 60_000));
    const description = Array.from({ length: 10 }, () => pick(SENTENCES)).join(' ');
    const status = opts.status ?? pick(TICKET_STATUSES);
    const id = `${opts.idPrefix}-${String(i).padStart(6, '0')}`;
    const queue = rnd() < 0.7 ? ('central' as const) : ('contractor' as const);
    const comment = pick(COMMENTS);
    const events = history(status, id, created.getTime(), opts.user, opts.agent ?? 'helpdesk', queue);
    const last = events.length ? String(events[events.length - 1].at) : created.toISOString();
    return {
      _id: id,
      orgId: opts.orgId,
      title: `${pick(SUBJECTS)} (${i + 1})`,
      description: `${description} ${comment}`,
      category: pick(CATEGORIES),
      priority: pick(PRIORITIES),
      site: pick(SITES),
      requester: opts.user,
      status,
      ...(status === 'new' ? {} : { assignee: { queue } }),
      events,
      createdBy: opts.user,
      createdAt: created.toISOString(),
      updatedBy: opts.user,
      updatedAt: last
    };
  });
}
