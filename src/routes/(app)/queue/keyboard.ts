/**
 * The queue's keyboard shortcuts. Single keys only act when focus is not in a text field,
 * a select or an editable element, so typing and screen-reader browse keys inside form
 * controls are never taken over; modifier combinations are left to the browser and AT.
 */
export type QueueAction = 'next' | 'prev' | 'open' | 'select' | 'assign' | 'search' | 'help';

export const SHORTCUTS: readonly { key: string; action: QueueAction }[] = [
  { key: 'j', action: 'next' },
  { key: 'k', action: 'prev' },
  { key: 'Enter', action: 'open' },
  { key: 'x', action: 'select' },
  { key: 'a', action: 'assign' },
  { key: '/', action: 'search' },
  { key: '?', action: 'help' }
];

export interface KeyInput {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  /** The focused element's tag, type and contenteditable, as far as they matter here. */
  target?: { tagName?: string; type?: string; isContentEditable?: boolean } | null;
}

const TEXT_INPUTS = new Set([
  'text',
  'search',
  'email',
  'number',
  'password',
  'tel',
  'url',
  'date',
  'datetime-local',
  'time'
]);

export function isTypingTarget(t: KeyInput['target']): boolean {
  if (!t) return false;
  if (t.isContentEditable) return true;
  const tag = (t.tagName ?? '').toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  return tag === 'INPUT' && TEXT_INPUTS.has((t.type ?? 'text').toLowerCase());
}

/** The action of a key press, or null when the key is not ours here. */
export function queueAction(e: KeyInput): QueueAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  if (isTypingTarget(e.target)) return null;
  const tag = (e.target?.tagName ?? '').toUpperCase();
  // Enter on a link or button already does what it says.
  if (e.key === 'Enter' && (tag === 'A' || tag === 'BUTTON')) return null;
  return SHORTCUTS.find((s) => s.key === e.key)?.action ?? null;
}
