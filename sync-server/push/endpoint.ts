/**
 * A push subscription's endpoint is a URL the server will call, so it is checked like one:
 * `https` only, and never a loopback, private, link-local or otherwise internal address (the
 * server must not be made to call into its own network), unless its origin is listed in
 * PUSH_ALLOWED_ORIGINS (tests, a private push service). Names are checked again when the
 * request is made, on the addresses they resolve to, so a name cannot be re-pointed inside.
 */
import { isIP } from 'node:net';

export interface PushSubscriptionInput {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

const B64URL = /^[A-Za-z0-9_-]+={0,2}$/;

function decodedLength(s: string): number {
  return Buffer.from(s, 'base64url').length;
}

/** True for addresses the server must not call: loopback, private, link-local, CGNAT, unspecified, multicast. */
export function isInternalAddress(address: string): boolean {
  const ip = address.replace(/^\[|\]$/g, '').toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (mapped) return isInternalAddress(mapped[1]);
  if (isIP(ip) === 4) {
    const [a, b] = ip.split('.').map(Number);
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      a >= 224 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 198 && (b === 18 || b === 19))
    );
  }
  if (isIP(ip) === 6) {
    return ip === '::' || ip === '::1' || /^f[cd]/.test(ip) || /^fe[89ab]/.test(ip) || ip.startsWith('ff');
  }
  return false;
}

const INTERNAL_NAMES = /(^|\.)(localhost|local|internal|intranet|lan|home|corp)$/i;

/** The subscription, checked, or the reason it is refused. */
export function checkSubscription(raw: unknown, allowedOrigins: readonly string[]): PushSubscriptionInput | string {
  if (!raw || typeof raw !== 'object') return 'subscription must be the browser’s PushSubscription JSON';
  const { endpoint, keys } = raw as { endpoint?: unknown; keys?: { p256dh?: unknown; auth?: unknown } };
  if (typeof endpoint !== 'string' || endpoint.length > 2000) return 'subscription.endpoint must be a URL';
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return 'subscription.endpoint is not a valid URL';
  }
  if (url.username || url.password) return 'subscription.endpoint may not carry credentials';
  const allowed = allowedOrigins.includes(url.origin);
  if (!allowed) {
    if (url.protocol !== 'https:') return 'subscription.endpoint must be an https URL';
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isInternalAddress(host) || INTERNAL_NAMES.test(host) || !host.includes('.'))
      return `subscription.endpoint points at an internal address (${url.hostname}); push services are public`;
  }
  if (!keys || typeof keys !== 'object') return 'subscription.keys (p256dh, auth) are missing';
  const { p256dh, auth } = keys;
  if (
    typeof p256dh !== 'string' ||
    !B64URL.test(p256dh) ||
    decodedLength(p256dh) !== 65 ||
    Buffer.from(p256dh, 'base64url')[0] !== 4
  )
    return 'subscription.keys.p256dh must be an uncompressed P-256 public key (65 bytes, base64url)';
  if (typeof auth !== 'string' || !B64URL.test(auth) || decodedLength(auth) !== 16)
    return 'subscription.keys.auth must be a 16-byte secret (base64url)';
  return { endpoint, keys: { p256dh, auth } };
}
