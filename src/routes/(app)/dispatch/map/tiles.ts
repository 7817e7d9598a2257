/**
 * Where map tiles come from (`TILE_URL` on the server, via `/api/winter/config`), remembered
 * on the device so the map knows its source offline too. No source known means no tile
 * layer: the map is drawn on a plain background.
 */
const KEY = 'ict.winter.tiles';

export interface TileConfig {
  tileUrl: string;
  attribution: string;
}

export async function tileConfig(): Promise<TileConfig | null> {
  try {
    const res = await fetch('/api/winter/config', { credentials: 'same-origin' });
    if (res.ok) {
      const cfg = (await res.json()) as TileConfig;
      localStorage.setItem(KEY, JSON.stringify(cfg));
      return cfg;
    }
  } catch {
    // offline: use what the device remembers
  }
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? 'null') as TileConfig | null;
  } catch {
    return null;
  }
}

/** A transparent pixel: a tile that fails to load leaves the plain background, not a broken image. */
export const EMPTY_TILE = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';
