import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadNearEnd } from './load-near-end';

/** An observer whose one target is near or not as the test says; re-observing reports again, as browsers do. */
class FakeObserver {
  static last: FakeObserver | null = null;
  static near = false;
  observed = 0;
  disconnected = false;
  constructor(
    private readonly cb: (entries: { isIntersecting: boolean }[]) => void,
    readonly options: { rootMargin?: string }
  ) {
    FakeObserver.last = this;
  }
  observe() {
    this.observed++;
    queueMicrotask(() => this.report());
  }
  unobserve() {}
  disconnect() {
    this.disconnected = true;
  }
  report() {
    if (!this.disconnected) this.cb([{ isIntersecting: FakeObserver.near }]);
  }
}

const settle = () => new Promise((r) => setTimeout(r, 0));
const node = {} as HTMLElement;

beforeEach(() => {
  FakeObserver.near = false;
  vi.stubGlobal('IntersectionObserver', FakeObserver);
});
afterEach(() => vi.unstubAllGlobals());

describe('a card list read on as it is scrolled', () => {
  it('reads nothing while the button is far below the view', async () => {
    const load = vi.fn(async () => {});
    loadNearEnd(node, load);
    await settle();
    expect(load).not.toHaveBeenCalled();
    // A screen below the view counts as near.
    expect(FakeObserver.last!.options.rootMargin).toBe('0px 0px 100% 0px');
  });

  it('reads the next page when the button comes near, and reads on while it stays near', async () => {
    let pages = 0;
    const load = vi.fn(async () => {
      pages++;
      // The third page pushes the button out of reach.
      if (pages === 3) FakeObserver.near = false;
    });
    loadNearEnd(node, load);
    await settle();
    FakeObserver.near = true;
    FakeObserver.last!.report();
    for (let i = 0; i < 10; i++) await settle();
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('asks once at a time', async () => {
    let finish = () => {};
    const load = vi.fn(() => new Promise<void>((r) => (finish = r)));
    FakeObserver.near = true;
    loadNearEnd(node, load);
    await settle();
    FakeObserver.last!.report();
    FakeObserver.last!.report();
    expect(load).toHaveBeenCalledTimes(1);
    FakeObserver.near = false;
    finish();
    await settle();
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('stops asking after a failed read, and when the list is gone', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const load = vi.fn(async () => {
      throw new Error('closed');
    });
    FakeObserver.near = true;
    const action = loadNearEnd(node, load);
    for (let i = 0; i < 5; i++) await settle();
    expect(load).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalled();
    action?.destroy?.();
    expect(FakeObserver.last!.disconnected).toBe(true);
    warn.mockRestore();
  });

  it('leaves the button alone where the browser has no observer', () => {
    vi.stubGlobal('IntersectionObserver', undefined);
    const load = vi.fn(async () => {});
    expect(loadNearEnd(node, load)).toBeUndefined();
    expect(load).not.toHaveBeenCalled();
  });
});
