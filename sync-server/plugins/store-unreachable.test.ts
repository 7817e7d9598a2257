import { describe, expect, it } from 'vitest';
import { isStoreUnreachable } from './store-unreachable';

describe('isStoreUnreachable', () => {
  it('recognizes the shapes a dead or restarting CouchDB produces', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5984'), { code: 'ECONNREFUSED' });
    expect(isStoreUnreachable(new TypeError('fetch failed', { cause: refused }))).toBe(true);
    const closed = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    expect(isStoreUnreachable(new TypeError('terminated', { cause: closed }))).toBe(true);
    expect(isStoreUnreachable(refused)).toBe(true);
    // nano keeps only the text of the cause
    expect(isStoreUnreachable(new Error('error happened in your connection. Reason: Error: read ECONNRESET'))).toBe(
      true
    );
  });

  it('leaves our own faults and CouchDB answers alone', () => {
    expect(isStoreUnreachable(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe(false);
    expect(isStoreUnreachable(Object.assign(new Error('Document update conflict.'), { statusCode: 409 }))).toBe(false);
    expect(isStoreUnreachable(undefined)).toBe(false);
    // nano wraps every failure without an answer alike: only a connection failure counts
    expect(isStoreUnreachable(new Error('error happened in your connection. Reason: TypeError: Invalid URL'))).toBe(
      false
    );
    expect(
      isStoreUnreachable(new Error('error happened in your connection. Reason: SocketError: other side closed'))
    ).toBe(true);
    expect(isStoreUnreachable('fetch failed')).toBe(false);
  });
});
