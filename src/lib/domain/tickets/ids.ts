/**
 * Ids made offline on any device must not collide: a time part (sorts, reads well in a log)
 * and 48 random bits. Fits the schemas' `idField` pattern.
 */
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

export type RandomBytes = (n: number) => Uint8Array;

const cryptoBytes: RandomBytes = (n) => globalThis.crypto.getRandomValues(new Uint8Array(n));

function randomPart(bytes: RandomBytes, length: number): string {
  return Array.from(bytes(length), (b) => ALPHABET[b % 36]).join('');
}

/** `tk-20260406-k3j9x2ab`: a ticket id with the day it was made (UTC). */
export function newTicketId(now: Date, bytes: RandomBytes = cryptoBytes): string {
  return `tk-${now.toISOString().slice(0, 10).replaceAll('-', '')}-${randomPart(bytes, 8)}`;
}

/** `ev-<ms base36>-<random>`: an event id. */
export function newEventId(now: Date, bytes: RandomBytes = cryptoBytes): string {
  return `ev-${now.getTime().toString(36)}-${randomPart(bytes, 8)}`;
}

/** The short form people read out on the phone: the last eight characters, upper case. */
export function ticketNumber(id: string): string {
  return id.slice(-8).toUpperCase();
}
