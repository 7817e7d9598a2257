/**
 * What a list's count line says while it waits for the search index (`searchMatches`): the
 * search being prepared, or the list being put in order, and how far the index's first build is.
 */
import { formatNumber, m } from '$lib/i18n';
import { buildProgress, type Preparing } from './build-progress';

export function preparingLabel(text: string, found: Preparing): string {
  if (text.trim()) return m.list_search_preparing();
  // With a bar the line keeps its words: a status region read out at every step would be noise.
  if (buildProgress(found)) return m.list_order_preparing();
  return found.progress
    ? m.list_order_preparing_count({ count: formatNumber(found.progress) })
    : m.list_order_preparing();
}

/** The bar's visible figures ("4 000 z 10 000"). */
export function progressFigures(bar: { value: number; max: number }): string {
  return m.list_build_progress({ done: formatNumber(bar.value), total: formatNumber(bar.max) });
}
