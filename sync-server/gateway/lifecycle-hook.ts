/**
 * The ticket lifecycle (who may make which status transition, append-only events replayed in
 * order) lives in the tickets domain module. When it is present the gateway enforces it on
 * every ticket write; when it is absent, only the role rules apply. A module that exists but
 * fails to load stops the server rather than silently dropping the check.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TicketChangeCheck, WriteHooks } from '../../src/lib/domain/write-rules';

const TICKETS = new URL('../../src/lib/domain/tickets/index.ts', import.meta.url);

/** Accepts the plausible answers of a check (`null`, a reason, a boolean, `{ok, reason}`) as a reason or null. */
function asReason(result: unknown): string | null {
  if (result === null || result === undefined || result === true) return null;
  if (typeof result === 'string') return result;
  if (result === false) return 'this ticket change is not allowed';
  if (typeof result === 'object') {
    const r = result as { ok?: boolean; allowed?: boolean; reason?: unknown };
    if (r.ok === true || r.allowed === true) return null;
    return typeof r.reason === 'string' ? r.reason : 'this ticket change is not allowed';
  }
  return null;
}

export async function loadWriteHooks(): Promise<WriteHooks> {
  if (!existsSync(fileURLToPath(TICKETS))) return {};
  const mod = (await import(TICKETS.href)) as { checkTicketChange?: (...args: unknown[]) => unknown };
  const check = mod.checkTicketChange;
  if (typeof check !== 'function')
    throw new Error('src/lib/domain/tickets must export checkTicketChange(user, roles, before, after)');
  // The tickets module takes `undefined` for a new ticket.
  const wrapped: TicketChangeCheck = (user, roles, before, after) =>
    asReason(check(user, roles, before ?? undefined, after));
  return { checkTicketChange: wrapped };
}
