import { afterEach, describe, expect, it, vi } from 'vitest';
import { listsToPreload, preloadListsWhenIdle, PRELOADED_LISTS } from './preload-lists';

describe('listsToPreload', () => {
  it("takes the preloaded lists that are in the person's navigation", () => {
    const director = ['/inbox', '/tickets', '/approvals', '/tasks', '/reports', '/account'];
    expect(listsToPreload(director, '/account')).toEqual(['/tickets']);
  });

  it('leaves out the page the person is on, whose code is loaded', () => {
    expect(listsToPreload(['/inbox', '/tickets', '/queue'], '/tickets')).toEqual([]);
  });

  it('preloads nothing for a navigation without lists (the winter dispatcher)', () => {
    expect(listsToPreload(['/dispatch', '/dispatch/map', '/dispatch/izs'], '/dispatch')).toEqual([]);
  });

  it('matches whole routes: a page under a list is not the list', () => {
    expect(listsToPreload(['/assets/mine', '/tickets/report', '/tickets/new'], '/')).toEqual([]);
  });

  it('names only routes of the app', () => {
    for (const href of PRELOADED_LISTS) expect(href).toMatch(/^\/[a-z]+$/);
  });
});

describe('preloadListsWhenIdle', () => {
  const idle = vi.fn((_cb: () => void, _opts?: { timeout: number }) => 7);
  const cancelIdle = vi.fn();
  const g = globalThis as unknown as { window?: unknown };
  const before = g.window;
  afterEach(() => {
    g.window = before;
    idle.mockClear();
    cancelIdle.mockClear();
  });
  const nav = ['/inbox', '/tickets'];
  const flush = () => new Promise((r) => setTimeout(r, 0));
  const deferred = () => {
    let settle = () => {};
    const promise = new Promise<void>((r) => (settle = r));
    return { promise, settle };
  };

  it("waits for `after` (a new device's first sync) before it asks for an idle moment", async () => {
    g.window = { requestIdleCallback: idle, cancelIdleCallback: cancelIdle };
    const firstSync = deferred();
    preloadListsWhenIdle(nav, '/inbox', firstSync.promise);
    await flush();
    expect(idle).not.toHaveBeenCalled();
    firstSync.settle();
    await flush();
    expect(idle).toHaveBeenCalledTimes(1);
    expect(idle.mock.calls[0][1]).toEqual({ timeout: 3000 });
  });

  it('asks at once when nothing is to be waited for', async () => {
    g.window = { requestIdleCallback: idle, cancelIdleCallback: cancelIdle };
    preloadListsWhenIdle(nav, '/inbox');
    await flush();
    expect(idle).toHaveBeenCalledTimes(1);
  });

  it('cancelled while it waits (the person left), it never asks; cancelled after, the idle callback goes', async () => {
    g.window = { requestIdleCallback: idle, cancelIdleCallback: cancelIdle };
    const firstSync = deferred();
    const cancel = preloadListsWhenIdle(nav, '/inbox', firstSync.promise);
    cancel();
    firstSync.settle();
    await flush();
    expect(idle).not.toHaveBeenCalled();

    const later = preloadListsWhenIdle(nav, '/inbox');
    await flush();
    later();
    expect(cancelIdle).toHaveBeenCalledWith(7);
  });
});
