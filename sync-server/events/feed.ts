/** Streaming HTTP for CouchDB's continuous feeds (nano buffers whole responses). */

/** GET `path` on CouchDB; credentials move from the URL to a header, as fetch requires. */
export async function feedRequest(couchUrl: string, path: string, signal: AbortSignal): Promise<Response> {
  const base = new URL(couchUrl);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (base.username) {
    const creds = `${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`;
    headers.authorization = `Basic ${Buffer.from(creds).toString('base64')}`;
  }
  base.username = '';
  base.password = '';
  const res = await fetch(new URL(path, base.toString().replace(/\/?$/, '/')), { headers, signal });
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    throw new Error(`feed ${path.split('?')[0]} answered HTTP ${res.status}`);
  }
  return res;
}

/**
 * Calls `onLine` for every non-empty line until the stream ends. A stream silent for
 * `stallMs` (heartbeats stopped: a half-open connection) is aborted and counts as ended.
 */
export async function readLines(
  res: Response,
  stallMs: number,
  abort: AbortController,
  onLine: (line: string) => void
): Promise<void> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let stall = setTimeout(() => abort.abort(), stallMs);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      clearTimeout(stall);
      if (done) return;
      stall = setTimeout(() => abort.abort(), stallMs);
      buffer += decoder.decode(value, { stream: true });
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (line) onLine(line);
      }
    }
  } finally {
    clearTimeout(stall);
  }
}
