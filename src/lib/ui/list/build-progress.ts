/** How far a search index's first build is, for a list waiting for it (`PreparingLine.svelte`). */

export interface Preparing {
  /** Documents the index has read so far. */
  readonly progress: number;
  /** Documents a first build will read; null when not known (a saved index catching up). */
  readonly expected: number | null;
}

/** The first build's progress as a bar's value and maximum; null when its size is not known. */
export function buildProgress(found: Preparing): { value: number; max: number } | null {
  const max = found.expected;
  if (!max || max <= 0) return null;
  // Deleted documents are read too but not counted ahead: the bar stops full, never past it.
  return { value: Math.min(Math.max(found.progress, 0), max), max };
}
