/**
 * Ids made offline on any device must not collide: a time part (sorts, reads well in a log)
 * and 48 random bits. Fits the schemas' `idField` pattern.
 */
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

export type RandomBytes = (n: number) => Uint8Array;

/**
 * Random bytes drawn from the system a few kilobytes at a time: the gateway routes every new
 * ticket of a 1,000-document batch with a fresh event id, and one system call per id was a
 * tenth of that batch's validation time.
 */
const POOL_SIZE = 4096;
let pool = new Uint8Array(0);
let poolAt = 0;
const cryptoBytes: RandomBytes = (n) => {
  if (n > POOL_SIZE) return globalThis.crypto.getRandomValues(new Uint8Array(n));
  if (poolAt + n > pool.length) {
    pool = globalThis.crypto.getRandomValues(new Uint8Array(POOL_SIZE));
    poolAt = 0;
  }
  poolAt += n;
  return pool.subarray(poolAt - n, poolAt);
};

function randomPart(bytes: RandomBytes, length: number): string {
  const b = bytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[b[i] % 36];
  return out;
}

/** `tk-20260406-k3j9x2ab`: a ticket id with the day it was made (UTC). */
export function newTicketId(now: Date, bytes: RandomBytes = cryptoBytes): string {
  return `tk-${now.toISOString().slice(0, 10).replaceAll('-', '')}-${randomPart(bytes, 8)}`;
}

/** `ev-<ms base36>-<random>`: an event id. */
export function newEventId(now: Date, bytes: RandomBytes = cryptoBytes): string {
  return `ev-${now.getTime().toString(36)}-${randomPart(bytes, 8)}`;
}

/**
 * The short form people read out on the phone: the last eight characters, upper case, without
 * a separator they would start with (an imported or demo id such as `demo-mu-tc-0002`).
 */
export function ticketNumber(id: string): string {
  return id
    .slice(-8)
    .replace(/^[-_.:]+/, '')
    .toUpperCase();
}
