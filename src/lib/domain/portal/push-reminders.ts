/**
 * Which inbox items are worth a Web Push, and what the notification says. The inbox computes
 * reminders on the device from the clock; a push has to be sent by the server exactly once,
 * so each push is tied to an OCCASION with a fixed key: a task or contract reaching one of its
 * lead times (`lead-7`), its last day (`today`), its deadline passing (`overdue`), or a
 * document arriving at a person's approval step (per round and step: a corrected document
 * arriving again is a new occasion). The server keeps one delivery record per occasion, user
 * and device under a key made from these, so restarts and several instances never repeat one.
 *
 * The server has no Paraglide (its strings live in the browser bundle), so the notification
 * text is chosen here from a small table in the subscriber's language, Czech by default.
 * Pure.
 */
import type { InboxItem } from './inbox';

export type PushLocale = 'cs' | 'en';

export interface ReminderOccasion {
  /** Fixed for one item at one stage: `<source>|<item id>|<stage>`. */
  key: string;
  /** The item the occasion is about: all pushes for it share a topic (a newer one replaces an undelivered older one). */
  itemKey: string;
  stage: string;
  item: InboxItem;
}

/** Contract reasons that are deadlines of the contract itself (publication is the register's, not pushed). */
const CONTRACT_PUSHED = ['contract-notice', 'contract-expiry'];

/**
 * The occasion an item is at now, if any. Tasks and contracts: by their timing (a reminder
 * lead reached, the last day, overdue; "later" is no occasion). Approval documents: being at
 * the person's step is the occasion, whatever the due date (`round` tells rounds apart).
 */
export function occasionOf(item: InboxItem, round?: number): ReminderOccasion | null {
  const itemKey = `${item.source}|${item.id}`;
  let stage: string | null = null;
  if (item.source === 'approvals') stage = `r${round ?? 1}-${item.why}`;
  else if (item.source === 'tasks' || (item.source === 'contracts' && CONTRACT_PUSHED.includes(item.why))) {
    if (item.urgency === 'overdue') stage = 'overdue';
    else if (item.urgency === 'today') stage = 'today';
    else if (item.urgency === 'soon' && item.remindDays) stage = `lead-${item.remindDays}`;
  }
  return stage ? { key: `${itemKey}|${stage}`, itemKey, stage, item } : null;
}

/** Where a tap on the notification leads (the item's own page). */
export function occasionUrl(item: InboxItem): string {
  if (item.source === 'tasks') return `/tasks/${encodeURIComponent(item.id)}`;
  if (item.source === 'approvals') return `/approvals/${encodeURIComponent(item.id)}`;
  if (item.source === 'contracts') return `/contracts/${encodeURIComponent(item.id.split('|')[0])}`;
  return '/inbox';
}

const TEXT = {
  cs: {
    task: 'Úkol',
    approval: 'Ke schválení',
    contract: 'Smlouva',
    overdue: 'Po termínu',
    today: 'Termín dnes',
    days: (n: number) => (n === 1 ? 'Termín zítra' : n < 5 ? `Termín za ${n} dny` : `Termín za ${n} dní`),
    step: { prikazce: 'příkazce operace', spravce: 'správce rozpočtu', ucetni: 'hlavní účetní' } as Record<
      string,
      string
    >,
    atStep: (s: string) => `Čeká na vaše schválení (${s})`,
    notice: 'výpovědní lhůta',
    expiry: 'konec platnosti'
  },
  en: {
    task: 'Task',
    approval: 'For approval',
    contract: 'Contract',
    overdue: 'Overdue',
    today: 'Due today',
    days: (n: number) => (n === 1 ? 'Due tomorrow' : `Due in ${n} days`),
    step: { prikazce: 'authorizing officer', spravce: 'budget administrator', ucetni: 'chief accountant' } as Record<
      string,
      string
    >,
    atStep: (s: string) => `Waiting for your approval (${s})`,
    notice: 'notice deadline',
    expiry: 'expiry'
  }
} as const;

export interface ReminderPayload {
  kind: 'reminder';
  id: string;
  title: string;
  body: string;
  url: string;
  /** The notification's tag: one on the screen per item. */
  tag: string;
  source: string;
  stage: string;
  due?: string;
}

/** The notification for an occasion, in the subscriber's language. */
export function reminderPayload(o: ReminderOccasion, locale: PushLocale = 'cs'): ReminderPayload {
  const t = TEXT[locale] ?? TEXT.cs;
  const i = o.item;
  const when =
    o.stage === 'overdue'
      ? t.overdue
      : o.stage === 'today'
        ? t.today
        : o.stage.startsWith('lead-')
          ? t.days(i.daysLeft ?? Number(o.stage.slice(5)))
          : '';
  let title: string;
  let body: string;
  if (i.source === 'approvals') {
    const step = i.why.replace(/^approval-/, '');
    title = `${t.approval}: ${i.title}`;
    body = t.atStep(t.step[step] ?? step);
  } else if (i.source === 'contracts') {
    title = `${t.contract}: ${i.title}`;
    body = `${when} (${i.why === 'contract-notice' ? t.notice : t.expiry}${i.due ? ` ${i.due}` : ''})`;
  } else {
    title = `${t.task}: ${i.title}`;
    body = `${when}${i.due ? ` (${i.due.slice(0, 10)})` : ''}`;
  }
  return {
    kind: 'reminder',
    id: o.key,
    title: title.slice(0, 200),
    body: body.slice(0, 500),
    url: occasionUrl(i),
    tag: `remind-${o.itemKey}`,
    source: i.source,
    stage: o.stage,
    ...(i.due ? { due: i.due } : {})
  };
}
