/**
 * Photos are made smaller on the device before they are stored: a phone photo of 4-12 MB
 * becomes a JPEG of a few hundred kB (long side at most 1600 px), which is what makes
 * reports with photos sync over a weak mobile link. Done with the browser's own decoder
 * (`createImageBitmap`, which also applies the EXIF orientation and resamples with high
 * quality) and an OffscreenCanvas, so no library is needed. PDFs and images already small
 * enough are stored as they are.
 */

export const MAX_LONG_SIDE = 1600;
export const JPEG_QUALITY = 0.8;

export interface Prepared {
  blob: Blob;
  contentType: string;
  width?: number;
  height?: number;
}

/** Target size keeping the aspect ratio; never enlarges. */
export function fitWithin(width: number, height: number, max = MAX_LONG_SIDE): { width: number; height: number } {
  const long = Math.max(width, height);
  if (long <= max) return { width, height };
  const scale = max / long;
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

export async function prepareForUpload(file: Blob): Promise<Prepared> {
  const type = file.type || 'application/octet-stream';
  if (!type.startsWith('image/') || typeof createImageBitmap === 'undefined') return { blob: file, contentType: type };
  let probe: ImageBitmap;
  try {
    probe = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    return { blob: file, contentType: type };
  }
  const target = fitWithin(probe.width, probe.height);
  const unchanged = target.width === probe.width && target.height === probe.height;
  if (unchanged && (type === 'image/jpeg' || type === 'image/webp' || type === 'image/png') && file.size < 1_500_000) {
    probe.close();
    return { blob: file, contentType: type, width: target.width, height: target.height };
  }
  probe.close();
  const bitmap = await createImageBitmap(file, {
    imageOrientation: 'from-image',
    resizeWidth: target.width,
    resizeHeight: target.height,
    resizeQuality: 'high'
  });
  const blob = await encodeJpeg(bitmap, target.width, target.height);
  bitmap.close();
  return { blob, contentType: 'image/jpeg', width: target.width, height: target.height };
}

async function encodeJpeg(bitmap: ImageBitmap, width: number, height: number): Promise<Blob> {
  if (typeof OffscreenCanvas !== 'undefined') {
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#fff'; // transparent PNG areas become white, not black, in a JPEG
    ctx.fillRect(0, 0, width, height);
    ctx.drawImage(bitmap, 0, 0, width, height);
    return canvas.convertToBlob({ type: 'image/jpeg', quality: JPEG_QUALITY });
  }
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.drawImage(bitmap, 0, 0, width, height);
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('JPEG encoding failed'))), 'image/jpeg', JPEG_QUALITY)
  );
}
