/** A small client for the administration's tests: JSON in and out, with the session cookie. */
import { login } from '../testing/server';

export interface ApiAnswer<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export interface AdminApi {
  cookie: string;
  call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>
  ): Promise<ApiAnswer<T>>;
  csv<T = Record<string, unknown>>(path: string, bytes: Uint8Array): Promise<ApiAnswer<T>>;
}

export function api(url: string, cookie = ''): AdminApi {
  const call = async <T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {}
  ): Promise<ApiAnswer<T>> => {
    const res = await fetch(url + path, {
      method,
      headers: {
        origin: url,
        ...(cookie ? { cookie } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers
      },
      body: body === undefined ? undefined : JSON.stringify(body)
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* CSV or empty */
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  };
  return {
    cookie,
    call,
    csv: async <T>(path: string, bytes: Uint8Array) => {
      const res = await fetch(url + path, {
        method: 'POST',
        headers: { origin: url, cookie, 'content-type': 'text/csv' },
        body: new Blob([new Uint8Array(bytes)])
      });
      return { status: res.status, body: (await res.json()) as T, headers: res.headers };
    }
  };
}

export async function signedIn(url: string, username: string, password = 'demo'): Promise<AdminApi> {
  return api(url, await login(url, username, password));
}

/** The Cookie header value from a response that set a session. */
export function cookieOf(headers: Headers): string {
  return headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/** Windows-1250 bytes of Czech text (the characters Czech uses beyond ASCII). */
export function cp1250(s: string): Uint8Array {
  const map: Record<string, number> = {
    á: 0xe1,
    č: 0xe8,
    ď: 0xef,
    é: 0xe9,
    ě: 0xec,
    í: 0xed,
    ň: 0xf2,
    ó: 0xf3,
    ř: 0xf8,
    š: 0x9a,
    ť: 0x9d,
    ú: 0xfa,
    ů: 0xf9,
    ý: 0xfd,
    ž: 0x9e,
    Á: 0xc1,
    Č: 0xc8,
    Ď: 0xcf,
    É: 0xc9,
    Ě: 0xcc,
    Í: 0xcd,
    Ň: 0xd2,
    Ó: 0xd3,
    Ř: 0xd8,
    Š: 0x8a,
    Ť: 0x8d,
    Ú: 0xda,
    Ů: 0xd9,
    Ý: 0xdd,
    Ž: 0x8e
  };
  return Uint8Array.from([...s].map((c) => map[c] ?? c.charCodeAt(0)));
}
