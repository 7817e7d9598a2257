/**
 * The media layer outside the browser, for its tests: PouchDB's Node build (LevelDB) in a
 * directory of the test's own, the browser's `localStorage` in memory, and files as that build
 * stores them.
 */
import type PouchDBType from 'pouchdb-browser';
import PouchNode from 'pouchdb-node';
import type { PouchLoader } from './media';

/** The browser's localStorage, where the media layer lists its stores for the sign-out. */
class MemoryStorage {
  private items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, String(value));
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  clear() {
    this.items.clear();
  }
}

export function installLocalStorage(): void {
  (globalThis as { localStorage?: unknown }).localStorage ??= new MemoryStorage();
}

/**
 * PouchDB with its local stores under `dir`; with `cookie`, its requests to a server carry that
 * session (the browser sends it by itself).
 */
export function nodePouch(dir: string, cookie?: string): { Pouch: typeof PouchDBType; loader: PouchLoader } {
  const Pouch = PouchNode.defaults({ prefix: `${dir}/` }) as unknown as typeof PouchDBType;
  if (cookie) {
    (Pouch as unknown as { fetch: typeof fetch }).fetch = (url, init) => {
      const headers = new Headers(init?.headers);
      headers.set('cookie', cookie);
      return fetch(url, { ...init, headers });
    };
  }
  return { Pouch, loader: async () => Pouch };
}

/** A PDF as PouchDB's Node build stores an attachment: a Buffer, with the type a Blob would carry. */
export const pdf = (text: string) => Object.assign(Buffer.from(text), { type: 'application/pdf' }) as unknown as Blob;
