import { describe, expect, it } from 'vitest';
import { fitWithin } from './image-downscale';

describe('photo size on the device', () => {
  it.each([
    [4000, 3000, 1600, 1200],
    [3000, 4000, 1200, 1600],
    [1600, 900, 1600, 900],
    [800, 600, 800, 600],
    [10000, 10, 1600, 2]
  ])('%ix%i becomes %ix%i', (w, h, ew, eh) => {
    expect(fitWithin(w, h)).toEqual({ width: ew, height: eh });
  });
});
