/**
 * A QR code as one SVG path (dark modules as unit squares, rows merged into runs), so a label
 * is plain markup the component renders itself: no HTML string is injected into the page.
 * `border` modules of quiet zone surround it, as scanners need.
 */
import { encode } from 'uqr';

export interface QrPath {
  /** Width and height of the view box, quiet zone included. */
  size: number;
  d: string;
}

export function qrPath(text: string, border = 2): QrPath {
  const { data, size } = encode(text, { ecc: 'M', border: 0 });
  let d = '';
  for (let y = 0; y < size; y++) {
    let x = 0;
    while (x < size) {
      if (!data[y][x]) {
        x++;
        continue;
      }
      const start = x;
      while (x < size && data[y][x]) x++;
      d += `M${start + border} ${y + border}h${x - start}v1h${start - x}z`;
    }
  }
  return { size: size + 2 * border, d };
}
