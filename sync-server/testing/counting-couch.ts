/**
 * A CouchDB client that lists every request it makes (`GET /db/_all_docs…`), for tests that
 * prove how much a piece of work reads: hand it to the code under test in place of the app's.
 */
import nano from 'nano';

export interface CountingCouch {
  couch: nano.ServerScope;
  /** Method and path of each request, in order (credentials left out). */
  requests: string[];
  /** How many of them were reads (GET). */
  reads(): number;
}

export function countingCouch(couchUrl: string): CountingCouch {
  const requests: string[] = [];
  const log = (e: { method?: string; url?: string }) => {
    if (e.method)
      requests.push(`${e.method.toUpperCase()} ${decodeURIComponent(new URL(e.url ?? '', couchUrl).pathname)}`);
  };
  const couch = nano({ url: couchUrl, log: log as unknown as nano.Configuration['log'] });
  return { couch, requests, reads: () => requests.filter((r) => r.startsWith('GET ')).length };
}
