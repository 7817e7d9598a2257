import { describe, expect, it } from 'vitest';
import { LoginLimiter } from './login-limiter';

describe('LoginLimiter', () => {
  const make = () => {
    let t = 1_000_000;
    const limiter = new LoginLimiter({ maxFailures: 3, windowMs: 60_000, maxKeys: 5 }, () => t);
    return { limiter, advance: (ms: number) => (t += ms) };
  };

  it('refuses a username and address after too many failures, until the window passes', () => {
    const { limiter, advance } = make();
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfter('a', '1.2.3.4')).toBe(0);
      limiter.fail('a', '1.2.3.4');
      advance(1000);
    }
    expect(limiter.retryAfter('a', '1.2.3.4')).toBe(57);
    expect(limiter.retryAfter('a', '5.6.7.8')).toBe(0);
    expect(limiter.retryAfter('b', '1.2.3.4')).toBe(0);
    advance(57_000);
    expect(limiter.retryAfter('a', '1.2.3.4')).toBe(0);
  });

  it('forgets failures after a successful login', () => {
    const { limiter } = make();
    for (let i = 0; i < 3; i++) limiter.fail('a', 'x');
    limiter.succeed('a', 'x');
    expect(limiter.retryAfter('a', 'x')).toBe(0);
  });

  it('keeps memory bounded under many made-up usernames', () => {
    const { limiter } = make();
    for (let i = 0; i < 50; i++) limiter.fail(`u${i}`, 'x');
    expect((limiter as unknown as { failures: Map<string, number[]> }).failures.size).toBeLessThanOrEqual(5);
  });
});
