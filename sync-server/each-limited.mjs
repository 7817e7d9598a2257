/**
 * Runs `fn` on every item, at most `limit` at a time, in the order given; rejects with the
 * first failure (the items already started still finish). Plain ESM so that the embedded
 * store's child process, which runs without a TypeScript loader, shares it with the server.
 */
export async function eachLimited(items, limit, fn) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
