/**
 * The simulated users' HTTP: node:http on kept-alive sockets, shaped as the little of `fetch`
 * that `CouchClient` uses (status, ok, text, json). Node's built-in `fetch` (undici, web
 * streams, an abort signal per request) cost the load process about 1 ms of CPU per pull,
 * as much as the server's work for it; on a machine the server shares with the simulated
 * users that was the harness measuring itself. What goes over the wire is the same.
 */
import http from 'node:http';

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, timeout: 30_000 });

export interface Answer {
  status: number;
  ok: boolean;
  text(): Promise<string>;
  json(): Promise<unknown>;
}

function headersOf(init: RequestInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(init?.headers).forEach((v, k) => (out[k] = v));
  return out;
}

/** One request; the answer's body read whole. */
export function httpFetch(input: string, init: RequestInit | undefined, signal?: AbortSignal): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = headersOf(init);
    const body = typeof init?.body === 'string' ? init.body : undefined;
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    const req = http.request(input, { method: init?.method ?? 'GET', headers, agent, signal }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('error', reject);
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        resolve({
          status,
          ok: status >= 200 && status < 300,
          text: () => Promise.resolve(text),
          json: () => Promise.resolve(JSON.parse(text) as unknown)
        });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A server-sent-events stream: `onText` gets its text as it arrives, `onEnd` when it ends. */
export function openStream(
  url: string,
  headers: Record<string, string>,
  signal: AbortSignal,
  onText: (text: string) => void,
  onEnd: () => void
): Promise<number> {
  return new Promise((resolve, reject) => {
    // Its own socket: a stream holds it for the whole run.
    const req = http.get(url, { headers, signal, agent: false }, (res) => {
      resolve(res.statusCode ?? 0);
      res.setEncoding('utf8');
      res.on('data', onText);
      res.on('end', onEnd);
      res.on('error', onEnd);
    });
    req.on('error', (err) => {
      reject(err);
      onEnd();
    });
  });
}
