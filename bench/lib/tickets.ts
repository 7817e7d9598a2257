/**
 * Realistic helpdesk tickets for the benchmarks: Czech text, a short event history, and
 * about 1.5 KB of JSON each, deterministic for a seed so every run syncs the same bytes.
 * Documents are in CouchDB form (`_id`, no `id`), as the app's replication stores them.
 */
import { PRIORITIES, TICKET_STATUSES } from '../../src/lib/domain/schemas/tickets';

const SUBJECTS = [
  'Nefunguje tiskárna v kanceláři', 'Počítač se nespustí', 'Výpadek Wi-Fi v učebně', 'Zapomenuté heslo do e-mailu',
  'Projektor nezobrazuje obraz', 'Pomalé připojení k internetu', 'Chyba při přihlášení do spisové služby',
  'Požadavek na instalaci programu', 'Nový zaměstnanec potřebuje účet', 'Telefon nemá signál v budově',
  'Záloha serveru selhala', 'Monitor bliká a zhasíná', 'Skener neodesílá dokumenty', 'Výměna tonerů',
  'Certifikát pro datovou schránku vypršel', 'Notebook se přehřívá', 'Nelze otevřít sdílenou složku'
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
const CATEGORIES = ['hardware', 'software', 'network', 'account', 'printing', 'phone'];
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
  status?: (typeof TICKET_STATUSES)[number];
}

export function makeTickets(count: number, opts: TicketOptions): TicketDoc[] {
  const rnd = prng(opts.seed ?? 1);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const base = Date.UTC(2025, 0, 6, 7, 0, 0);
  return Array.from({ length: count }, (_, i) => {
    const created = new Date(base + i * 97_000 + Math.floor(rnd() * 60_000));
    const updated = new Date(created.getTime() + Math.floor(rnd() * 3 * 86_400_000));
    const description = Array.from({ length: 11 }, () => pick(SENTENCES)).join(' ');
    const status = opts.status ?? pick(TICKET_STATUSES);
    const id = `${opts.idPrefix}-${String(i).padStart(6, '0')}`;
    const events = [
      { id: `${id}-e1`, at: created.toISOString(), by: opts.user, kind: 'status', to: 'new' },
      { id: `${id}-e2`, at: updated.toISOString(), by: opts.user, kind: 'comment', text: pick(COMMENTS) }
    ];
    return {
      _id: id,
      orgId: opts.orgId,
      title: `${pick(SUBJECTS)} (${i + 1})`,
      description,
      category: pick(CATEGORIES),
      priority: pick(PRIORITIES),
      site: pick(SITES),
      requester: opts.user,
      status,
      assignee: { queue: rnd() < 0.7 ? 'central' : 'contractor' },
      events,
      createdBy: opts.user,
      createdAt: created.toISOString(),
      updatedBy: opts.user,
      updatedAt: updated.toISOString()
    };
  });
}
