/**
 * One barcode detector for the app: the browser's own `BarcodeDetector` where it exists and
 * reads our formats (Chrome on Android), else the `barcode-detector` ponyfill (zxing-wasm),
 * loaded only when a scanner opens. Its WebAssembly file is part of our build
 * (`?url` import: a hashed file under `/_app/immutable/`, served by our server and precached
 * by the service worker), so scanning works offline and never reaches a CDN: the ponyfill
 * would otherwise fetch it from jsDelivr.
 */
import type { BarcodeFormat, DetectedBarcode } from 'barcode-detector/ponyfill';
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';

export type Engine = 'native' | 'polyfill';

/** QR on our labels, Code 128 / 39 and EAN on labels of older registers. */
export const FORMATS: BarcodeFormat[] = ['qr_code', 'code_128', 'code_39', 'ean_13', 'ean_8', 'data_matrix'];

export interface Detector {
  engine: Engine;
  detect(source: ImageBitmapSource): Promise<string[]>;
}

interface DetectorLike {
  detect(source: ImageBitmapSource): Promise<Pick<DetectedBarcode, 'rawValue'>[]>;
}
interface DetectorClass {
  new (options?: { formats?: BarcodeFormat[] }): DetectorLike;
  getSupportedFormats(): Promise<readonly string[]>;
}

/** Where the wasm file is, as an absolute URL of our own origin. */
export const zxingWasmUrl = (): string => new URL(wasmUrl, location.href).href;

async function nativeDetector(): Promise<Detector | null> {
  const Native = (globalThis as { BarcodeDetector?: DetectorClass }).BarcodeDetector;
  if (!Native) return null;
  try {
    const supported = new Set(await Native.getSupportedFormats());
    const formats = FORMATS.filter((f) => supported.has(f));
    // A native detector without QR cannot read our own labels: the polyfill can.
    if (!formats.includes('qr_code')) return null;
    const d = new Native({ formats });
    return { engine: 'native', detect: async (s) => (await d.detect(s)).map((b) => b.rawValue) };
  } catch {
    return null;
  }
}

let polyfill: Promise<Detector> | undefined;

function polyfillDetector(): Promise<Detector> {
  polyfill ??= (async () => {
    const mod = await import('barcode-detector/ponyfill');
    mod.prepareZXingModule({
      overrides: {
        locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? zxingWasmUrl() : prefix + path)
      }
    });
    const d = new mod.BarcodeDetector({ formats: FORMATS });
    return {
      engine: 'polyfill' as const,
      detect: async (s: ImageBitmapSource) => (await d.detect(s)).map((b) => b.rawValue)
    };
  })();
  polyfill.catch(() => (polyfill = undefined));
  return polyfill;
}

/** `auto`: native where it reads QR, else the polyfill. Tests ask for one engine explicitly. */
export async function createDetector(engine: Engine | 'auto' = 'auto'): Promise<Detector> {
  if (engine !== 'polyfill') {
    const native = await nativeDetector();
    if (native) return native;
    if (engine === 'native') throw new Error('This browser has no native BarcodeDetector');
  }
  return polyfillDetector();
}
