import { describe, expect, it } from 'vitest';
import { CameraReader, REPEAT_MS } from './camera';

describe('camera reader', () => {
  it('reports a label held in view once, and again after it left the view', () => {
    const got: string[] = [];
    const r = new CameraReader((c) => got.push(c));
    expect(r.deliver('A', 0)).toBe(true);
    expect(r.deliver('A', 200)).toBe(false);
    // Still in view: every frame extends the window.
    expect(r.deliver('A', 200 + REPEAT_MS - 1)).toBe(false);
    expect(r.deliver('B', 3000)).toBe(true);
    expect(r.deliver('A', 3100)).toBe(true);
    expect(r.deliver('A', 3100 + REPEAT_MS)).toBe(true);
    expect(got).toEqual(['A', 'B', 'A', 'A']);
  });

  it('forgets the last label when stopped', () => {
    const got: string[] = [];
    const r = new CameraReader((c) => got.push(c));
    r.deliver('A', 0);
    r.stop();
    r.deliver('A', 10);
    expect(got).toEqual(['A', 'A']);
  });
});
