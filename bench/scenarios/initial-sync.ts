/**
 * 1. Initial sync of one organization into a fresh browser profile, three ways, interleaved
 * run by run (the order rotates) so that drift of the machine hits all three alike:
 * a. the app itself: the built PWA opened signed in; done when every ticket is in its local
 *    store (time from the start of navigation, so the app's start-up is included);
 * b. PouchDB's native replication of the same database through the gateway;
 * c. the lower bound: one `_all_docs` straight from CouchDB, one Dexie `bulkPut`;
 * d. the same into a store with the app's own ticket indexes: the floor of the app's store;
 * e. a new person's way in: the sign-in page of a fresh profile, the username typed, a second for
 *    the password, the button; timed from the click (the app already loaded, as the peers' pages).
 */
import type { Page } from 'playwright-core';
import { freshProfile, loginProfile } from '../lib/browser';
import { visibleDocCount, waitForLocalDocs, watchStoredDocs } from '../lib/app';
import { appTicketStore } from '../lib/app-store';
import type { Stack } from '../lib/stack';
import { lowerBound, pouchdbReplication } from './peer-sync';

export interface InitialSyncResult {
  docs: number;
  app: number[];
  /** Part of `app` before the first sync request (gateway or batched feed): loading and starting the app. */
  appStartup: number[];
  pouchdb: number[];
  lowerBound: number[];
  /** The lower bound written into a store with the app's indexes (`appTicketStore`). */
  lowerBoundIndexed: number[];
  /** e: from the click on the sign-in button to every ticket stored, and to the first sync request. */
  signIn: number[];
  signInRequest: number[];
  /** Why the app's own sync could not be measured, if it could not. */
  appError?: string;
}

/** A sync request of the app: the gateway, or the batched changes feed its pull reads. */
const SYNC_PATH = /^\/(couch\/|api\/changes$)/;

export async function appInitialSync(
  stack: Stack,
  opts: {
    user: string;
    expected: number;
    path?: string;
    /** Reads the synced page before the browser closes (a diagnostic takes the app's stored documents). */
    onSynced?: (page: Page) => Promise<void>;
  }
): Promise<{ ms: number; startupMs: number }> {
  const profile = await freshProfile();
  try {
    await loginProfile(profile, stack.url, opts.user);
    await watchStoredDocs(profile.page, ['tickets']);
    let firstGateway = Number.NaN;
    profile.page.on('request', (req) => {
      const sync = SYNC_PATH.test(new URL(req.url()).pathname);
      if (Number.isNaN(firstGateway) && sync) firstGateway = Date.now();
    });
    const navigationStart = Date.now();
    await profile.page.goto(`${stack.url}${opts.path ?? '/'}`, { waitUntil: 'commit' });
    const ms = await waitForLocalDocs(profile.page, 'tickets', opts.expected);
    await opts.onSynced?.(profile.page);
    return { ms, startupMs: firstGateway - navigationStart };
  } finally {
    await profile.close();
  }
}

/** A password the person takes to type: the sign-in page's time to prepare before the click. */
const TYPING_MS = 1000;

export async function signInSync(
  stack: Stack,
  opts: { user: string; expected: number; password?: string }
): Promise<{ ms: number; requestMs: number }> {
  const profile = await freshProfile();
  try {
    const { page } = profile;
    await watchStoredDocs(page, ['tickets']);
    await page.goto(`${stack.url}/login`, { waitUntil: 'load' });
    await page.fill('#username', opts.user);
    await page.waitForTimeout(TYPING_MS);
    await page.fill('#password', opts.password ?? 'demo');
    const clicked = await page.evaluate(() => performance.now());
    await page.click('button[type=submit]');
    const stored = await waitForLocalDocs(page, 'tickets', opts.expected);
    const firstRequest = await page.evaluate(
      (sync) =>
        Math.min(
          ...performance
            .getEntriesByType('resource')
            .filter((e) => new RegExp(sync).test(new URL(e.name).pathname))
            .map((e) => e.startTime)
        ),
      SYNC_PATH.source
    );
    return { ms: stored - clicked, requestMs: firstRequest - clicked };
  } finally {
    await profile.close();
  }
}

export async function benchInitialSync(
  stack: Stack,
  opts: { org: string; user: string; expected?: number; runs: number }
): Promise<InitialSyncResult> {
  const db = `org_${opts.org}_tickets`;
  const expected = await visibleDocCount(stack.couch, db);
  const out: InitialSyncResult = {
    docs: expected,
    app: [],
    appStartup: [],
    pouchdb: [],
    lowerBound: [],
    lowerBoundIndexed: [],
    signIn: [],
    signInRequest: []
  };
  const store = appTicketStore();
  const ways = [
    async () => {
      if (out.appError) return;
      try {
        const r = await appInitialSync(stack, { user: opts.user, expected });
        out.app.push(r.ms);
        out.appStartup.push(r.startupMs);
      } catch (err) {
        out.appError = (err as Error).message;
      }
    },
    async () => out.pouchdb.push(await pouchdbReplication(stack, { user: opts.user, db, expected })),
    async () => out.lowerBound.push(await lowerBound(stack, { db, expected })),
    async () => out.lowerBoundIndexed.push(await lowerBound(stack, { db, expected, store })),
    async () => {
      if (out.appError) return;
      const r = await signInSync(stack, { user: opts.user, expected });
      out.signIn.push(r.ms);
      out.signInRequest.push(r.requestMs);
    }
  ];
  for (let run = 0; run < opts.runs; run++) {
    for (let i = 0; i < ways.length; i++) await ways[(run + i) % ways.length]();
  }
  return out;
}
