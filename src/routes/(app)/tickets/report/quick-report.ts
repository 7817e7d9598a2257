/**
 * The phone quick report: the fewest choices that make a valid ticket. The first line of the
 * text becomes the title (a title needs 3 characters), the rest the description; the
 * priority defaults to normal (P3) and "it stops my work" raises it to high (P2).
 */
import type { Priority } from '../../../../lib/domain/schemas';

export interface QuickDraft {
  text: string;
  category: string;
  blocking: boolean;
}

export function quickTicketFields(d: QuickDraft): { title: string; description: string; priority: Priority } {
  const text = d.text.trim();
  const [first, ...rest] = text.split(/\r?\n/);
  let title = first.trim();
  if (title.length > 120) title = `${title.slice(0, 117).trimEnd()}…`;
  const description = title === first.trim() ? rest.join('\n').trim() : text;
  return { title, description, priority: d.blocking ? 'P2' : 'P3' };
}

export function quickProblems(d: QuickDraft): { category?: true; text?: true } {
  const out: { category?: true; text?: true } = {};
  if (!d.category) out.category = true;
  if (d.text.trim().split(/\r?\n/)[0].trim().length < 3) out.text = true;
  return out;
}
