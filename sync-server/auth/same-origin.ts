/**
 * State-changing requests must come from the app's own origin. SameSite=Lax already keeps the
 * cookie off cross-site POSTs; this also covers same-site origins (another port, a sibling
 * subdomain). Requests with neither Origin nor Referer come from non-browser clients, which
 * cannot be driven by a foreign page, and are let through.
 */
import type { FastifyRequest } from 'fastify';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The foreign origin that sent a state-changing request, or null when it may proceed. */
export function foreignOrigin(request: FastifyRequest, publicOrigin: string): string | null {
  if (SAFE_METHODS.has(request.method)) return null;
  const origin = request.headers.origin;
  if (typeof origin === 'string' && origin !== '') return origin === publicOrigin ? null : origin;
  const referer = request.headers.referer;
  if (typeof referer === 'string' && referer !== '') {
    try {
      const from = new URL(referer).origin;
      return from === publicOrigin ? null : from;
    } catch {
      return referer;
    }
  }
  return null;
}
