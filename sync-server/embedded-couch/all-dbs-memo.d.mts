/** Types of all-dbs-memo.mjs for the TypeScript that tests it. */
export function memoizeAllDbs(Pouch: {
  allDbs?: unknown;
  on(event: 'created' | 'destroyed', listener: (name: string) => void): unknown;
}): void;
