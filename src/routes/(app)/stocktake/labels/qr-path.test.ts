import { encode } from 'uqr';
import { describe, expect, it } from 'vitest';
import { labelPayload } from '$lib/domain/assets/stocktake-code';
import { qrPath } from './qr-path';

describe('qr path', () => {
  it('draws every dark module once, inside the quiet zone', () => {
    const text = labelPayload('gym-kt', 'GKT-PC-0001');
    const { data, size } = encode(text, { ecc: 'M', border: 0 });
    const path = qrPath(text, 2);
    expect(path.size).toBe(size + 4);
    const runs = [...path.d.matchAll(/M(\d+) (\d+)h(\d+)/g)].map((r) => r.slice(1).map(Number));
    const dark = data.flat().filter(Boolean).length;
    expect(runs.reduce((n, [, , w]) => n + w, 0)).toBe(dark);
    for (const [x, y, w] of runs) {
      expect(x).toBeGreaterThanOrEqual(2);
      expect(y).toBeGreaterThanOrEqual(2);
      expect(x + w).toBeLessThanOrEqual(size + 2);
      for (let i = 0; i < w; i++) expect(data[y - 2][x - 2 + i]).toBe(true);
    }
  });
});
