import { renderSVG } from 'uqr';
import { describe, expect, it } from 'vitest';
import { sizedSvg } from './test-hook';

describe('rendered code images', () => {
  it('gives an SVG with only a view box the view box as its size', () => {
    const svg = sizedSvg(renderSVG('ICT1|gym-kt|GYMKT-PC-0001'));
    expect(svg).toMatch(/^<svg width="(\d+)" height="\1" /);
  });
  it('leaves an SVG that has a size alone', () => {
    const svg = '<svg width="10" height="20" viewBox="0 0 1 2"></svg>';
    expect(sizedSvg(svg)).toBe(svg);
  });
});
