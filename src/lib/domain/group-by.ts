/**
 * Items grouped by a key, each group in the items' order; items without a key are left out.
 * (`Map.groupBy` does this, but Node 20, where the server runs the same domain code, lacks it.)
 */
export function groupBy<T>(items: Iterable<T>, key: (item: T) => string | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
