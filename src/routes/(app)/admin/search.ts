/** Search of the administration's lists: every word must occur in one of the fields, without case or diacritics. */
const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

export function matches(query: string, fields: readonly (string | undefined | null)[]): boolean {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = fold(fields.filter(Boolean).join(' '));
  return words.every((w) => text.includes(w));
}
