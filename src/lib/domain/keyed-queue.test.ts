import { describe, expect, it } from 'vitest';
import { KeyedQueue } from './keyed-queue';

describe('KeyedQueue', () => {
  it('runs holders of one key one after another, other keys alongside', async () => {
    const q = new KeyedQueue();
    const log: string[] = [];
    const job = async (key: string, name: string) => {
      const release = await q.acquire(key);
      log.push(`${name}+`);
      await new Promise((r) => setTimeout(r, 5));
      log.push(`${name}-`);
      release();
    };
    await Promise.all([job('a', 'a1'), job('a', 'a2'), job('b', 'b1')]);
    expect(log.indexOf('a1-')).toBeLessThan(log.indexOf('a2+'));
    expect(log.indexOf('b1+')).toBeLessThan(log.indexOf('a1-'));
  });

  it('runs work as the holder and lets the next one in after it, also after a failure', async () => {
    const q = new KeyedQueue();
    const log: string[] = [];
    const failed = q.run('a', async () => {
      log.push('first');
      throw new Error('no');
    });
    const second = q.run('a', async () => {
      log.push('second');
      return 2;
    });
    await expect(failed).rejects.toThrow('no');
    expect(await second).toBe(2);
    expect(log).toEqual(['first', 'second']);
  });
});
