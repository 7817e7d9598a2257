/** The bar of a list waiting for its search index's first build. */
import { describe, expect, it } from 'vitest';
import { buildProgress } from './build-progress';

describe("a search index's first build, as a bar", () => {
  it('goes from empty to full over the documents counted ahead, never past its end', () => {
    expect(buildProgress({ progress: 0, expected: 10_000 })).toEqual({ value: 0, max: 10_000 });
    expect(buildProgress({ progress: 4000, expected: 10_000 })).toEqual({ value: 4000, max: 10_000 });
    // Deleted documents are read too, but not counted ahead.
    expect(buildProgress({ progress: 10_050, expected: 10_000 })).toEqual({ value: 10_000, max: 10_000 });
  });

  it('is not shown without a size: a saved index catching up, or nothing to read', () => {
    expect(buildProgress({ progress: 300, expected: null })).toBeNull();
    expect(buildProgress({ progress: 0, expected: 0 })).toBeNull();
  });
});
