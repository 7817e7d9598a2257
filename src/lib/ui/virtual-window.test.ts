import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { virtualWindow } from './virtual-window';

describe('virtualWindow', () => {
  it.each([
    { count: 0, scrollTop: 0, expected: { start: 0, end: 0, offsetTop: 0, totalHeight: 0 } },
    { count: 5, scrollTop: 0, expected: { start: 0, end: 5, offsetTop: 0, totalHeight: 240 } },
    { count: 10_000, scrollTop: 0, expected: { start: 0, end: 18, offsetTop: 0, totalHeight: 480_000 } },
    { count: 10_000, scrollTop: 4800, expected: { start: 94, end: 118, offsetTop: 4512, totalHeight: 480_000 } },
    { count: 10_000, scrollTop: 1e9, expected: { start: 9983, end: 10_000, offsetTop: 479_184, totalHeight: 480_000 } }
  ])('count $count at scrollTop $scrollTop', ({ count, scrollTop, expected }) => {
    expect(virtualWindow(count, 48, scrollTop, 500)).toEqual(expected);
  });

  it('always renders every row that intersects the viewport, and a bounded number of rows', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20_000 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: -1000, max: 2_000_000 }),
        fc.integer({ min: 0, max: 3000 }),
        (count, rowHeight, scrollTop, viewport) => {
          const w = virtualWindow(count, rowHeight, scrollTop, viewport);
          expect(w.start).toBeGreaterThanOrEqual(0);
          expect(w.end).toBeLessThanOrEqual(count);
          expect(w.offsetTop).toBe(w.start * rowHeight);
          expect(w.end - w.start).toBeLessThanOrEqual(Math.ceil(Math.max(viewport, rowHeight) / rowHeight) + 13);
          const top = Math.min(Math.max(0, scrollTop), Math.max(0, count * rowHeight - viewport));
          const firstVisible = Math.floor(top / rowHeight);
          const lastVisible = Math.min(count, Math.ceil((top + viewport) / rowHeight));
          if (count > 0) {
            expect(w.start).toBeLessThanOrEqual(firstVisible);
            expect(w.end).toBeGreaterThanOrEqual(lastVisible);
          }
        }
      )
    );
  });
});
