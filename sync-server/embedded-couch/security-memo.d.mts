/** Types of security-memo.mjs for the TypeScript that tests it. */
export function securityMemo(
  name: string,
  db: { getSecurity: (...args: unknown[]) => Promise<unknown>; putSecurity: (...args: unknown[]) => Promise<unknown> },
  next: () => unknown
): unknown;
