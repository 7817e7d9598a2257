import type { Page } from '@playwright/test';

/**
 * Which of `needles` occur anywhere in the page's IndexedDB (every database, every object
 * store, every record as JSON): what the device holds, whatever the UI shows.
 */
export function localStoreFind(page: Page, needles: string[]): Promise<string[]> {
  return page.evaluate(async (needles) => {
    const req = <T>(r: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
    const found: string[] = [];
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const db = await req(indexedDB.open(info.name));
      for (const store of Array.from(db.objectStoreNames)) {
        const text = JSON.stringify(await req(db.transaction(store).objectStore(store).getAll()));
        for (const n of needles) if (text.includes(n)) found.push(`${info.name}/${store}: ${n}`);
      }
      db.close();
    }
    return found;
  }, needles);
}
