/**
 * What a list's count line says while it waits for the search index (`searchMatches`): the
 * search being prepared, or the list being put in order, with how far the index's first build is.
 */
import { formatNumber, m } from '$lib/i18n';

export function preparingLabel(text: string, found: { readonly progress: number }): string {
  if (text.trim()) return m.list_search_preparing();
  return found.progress
    ? m.list_order_preparing_count({ count: formatNumber(found.progress) })
    : m.list_order_preparing();
}
