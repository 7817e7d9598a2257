/**
 * `window.__ictScanner`: lets a browser test hand the mounted scanner a rendered code image
 * (SVG markup or an image URL) instead of a camera frame. The image goes through the real
 * detector (native or the zxing-wasm polyfill, as asked) and its codes through the same
 * delivery as camera frames. It can only decode an image the page itself is given, so it
 * grants nothing a page script could not do anyway; it stays in the build so the tests
 * exercise the build people use.
 */
import { createDetector, zxingWasmUrl, type Engine } from './detector';

export interface FeedResult {
  engine: Engine;
  codes: string[];
  /** Which codes the scanner took (false: the same label still in view). */
  delivered: boolean[];
  wasmUrl: string;
}

export interface ScannerHook {
  feed(image: string, engine?: Engine | 'auto'): Promise<FeedResult>;
}

declare global {
  interface Window {
    __ictScanner?: ScannerHook;
  }
}

/** An SVG with only a view box has no intrinsic size: give it the view box's. */
export function sizedSvg(svg: string): string {
  if (/^<svg[^>]*\swidth=/.test(svg)) return svg;
  const box = /viewBox="[\d.]+[ ,]+[\d.]+[ ,]+([\d.]+)[ ,]+([\d.]+)"/.exec(svg);
  return box ? svg.replace('<svg', `<svg width="${box[1]}" height="${box[2]}"`) : svg;
}

/** Draws the image on a white canvas with a quiet zone, as a label looks to a camera. */
async function toCanvas(image: string): Promise<HTMLCanvasElement> {
  const svg = image.trimStart().startsWith('<svg');
  const url = svg ? URL.createObjectURL(new Blob([sizedSvg(image.trim())], { type: 'image/svg+xml' })) : image;
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const w = Math.max(img.naturalWidth, 200);
    const h = Math.max(img.naturalHeight, 200);
    const canvas = document.createElement('canvas');
    canvas.width = w + 80;
    canvas.height = h + 80;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 40, 40, w, h);
    return canvas;
  } finally {
    if (url !== image) URL.revokeObjectURL(url);
  }
}

export function installScannerHook(deliver: (code: string) => boolean): () => void {
  const hook: ScannerHook = {
    async feed(image, engine = 'auto') {
      const detector = await createDetector(engine);
      const codes = await detector.detect(await toCanvas(image));
      return { engine: detector.engine, codes, delivered: codes.map((c) => deliver(c)), wasmUrl: zxingWasmUrl() };
    }
  };
  window.__ictScanner = hook;
  return () => {
    if (window.__ictScanner === hook) delete window.__ictScanner;
  };
}
