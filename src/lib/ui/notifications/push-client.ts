/**
 * Push on this device: the browser's one push subscription, registered with the server with
 * what it should carry: winter alerts for the districts chosen (`enable`, the alerts screen)
 * and/or the inbox's reminders (`setReminders`, the account settings, any role). Each call
 * sends only its own part; the server keeps the other. Permission is asked only from a tap,
 * never on page load.
 */
export type PushSupport = 'supported' | 'unsupported' | 'denied';

export function pushSupport(): PushSupport {
  if (
    typeof window === 'undefined' ||
    !('serviceWorker' in navigator) ||
    !('PushManager' in window) ||
    !('Notification' in window)
  )
    return 'unsupported';
  return Notification.permission === 'denied' ? 'denied' : 'supported';
}

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const b64 = base64url
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(base64url.length / 4) * 4, '=');
  const raw = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

async function api(method: string, path: string, body?: unknown): Promise<Response> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: { accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined
  });
  if (!res.ok) {
    const reason = ((await res.json().catch(() => ({}))) as { reason?: string }).reason;
    throw new Error(reason ?? res.statusText);
  }
  return res;
}

export async function currentSubscription(): Promise<PushSubscription | null> {
  if (pushSupport() === 'unsupported') return null;
  const reg = await navigator.serviceWorker.getRegistration();
  return (await reg?.pushManager.getSubscription()) ?? null;
}

async function subscribe(): Promise<PushSubscription> {
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') throw new Error('denied');
  const reg = await navigator.serviceWorker.ready;
  const { publicKey } = (await (await api('GET', '/api/push/key')).json()) as { publicKey: string };
  return (
    (await reg.pushManager.getSubscription()) ??
    (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) }))
  );
}

export async function enable(districts: string[]): Promise<void> {
  const sub = await subscribe();
  await api('POST', '/api/push/subscriptions', { subscription: sub.toJSON(), districts });
}

/** What the server sends to this device: null when it has no subscription of this user's. */
export async function subscriptionState(): Promise<{ districts: string[]; reminders: boolean } | null> {
  const sub = await currentSubscription();
  if (!sub) return null;
  const res = await fetch(`/api/push/subscriptions?endpoint=${encodeURIComponent(sub.endpoint)}`, {
    credentials: 'same-origin',
    headers: { accept: 'application/json' }
  });
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(res.statusText);
  return (await res.json()) as { districts: string[]; reminders: boolean };
}

/**
 * Reminders on or off for this device, in the language the app shows. Off with no winter
 * districts left drops the subscription altogether.
 */
export async function setReminders(on: boolean, locale: 'cs' | 'en'): Promise<void> {
  if (on) {
    const sub = await subscribe();
    await api('POST', '/api/push/subscriptions', { subscription: sub.toJSON(), reminders: true, locale });
    return;
  }
  const state = await subscriptionState();
  if (!state) return;
  if (state.districts.length === 0) return disable();
  const sub = await currentSubscription();
  if (sub) await api('POST', '/api/push/subscriptions', { subscription: sub.toJSON(), reminders: false });
}

export async function disable(): Promise<void> {
  const sub = await currentSubscription();
  if (!sub) return;
  await api('DELETE', '/api/push/subscriptions', { endpoint: sub.endpoint }).catch(() => undefined);
  await sub.unsubscribe();
}
