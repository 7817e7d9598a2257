import { describe, expect, it } from 'vitest';
import { CoalescedRun } from './coalesced-run';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('CoalescedRun', () => {
  it('runs once per call when calls come one after another', async () => {
    let runs = 0;
    const r = new CoalescedRun(
      async () => void runs++,
      () => {}
    );
    await r.kick();
    await r.kick();
    expect(runs).toBe(2);
  });

  it('calls during a run ask for exactly one more run, never two at once', async () => {
    let runs = 0;
    let active = 0;
    let most = 0;
    const r = new CoalescedRun(
      async () => {
        runs++;
        most = Math.max(most, ++active);
        await tick();
        active--;
      },
      () => {}
    );
    const first = r.kick();
    const during = [r.kick(), r.kick(), r.kick()];
    await Promise.all([first, ...during]);
    expect(runs).toBe(2);
    expect(most).toBe(1);
  });

  it('a failed run is reported and the next call runs again', async () => {
    const errors: string[] = [];
    let n = 0;
    const r = new CoalescedRun(
      async () => {
        if (++n === 1) throw new Error('store down');
      },
      (err) => errors.push(err.message)
    );
    await r.kick();
    await r.kick();
    expect(errors).toEqual(['store down']);
    expect(n).toBe(2);
  });

  it('stop waits for the run under way, skips the one asked for during it, and refuses new ones', async () => {
    let runs = 0;
    let finished = 0;
    const r = new CoalescedRun(
      async () => {
        runs++;
        await tick();
        finished++;
      },
      () => {}
    );
    void r.kick();
    void r.kick(); // would run once more, but stop comes first
    await r.stop();
    expect(finished).toBe(1);
    await r.kick();
    expect(runs).toBe(1);
    expect(r.stopped).toBe(true);
  });
});
