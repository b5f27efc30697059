import { describe, expect, it } from '@jest/globals';
import { RateLimitBudget, parsePolicy, parseRateLimit } from '../src/cloudflare/budget.js';

describe('RateLimit headers', () => {
  it('reads r and t from RateLimit and q from RateLimit-Policy', () => {
    expect(parseRateLimit({ ratelimit: '"default";r=50;t=30' })).toEqual({
      remaining: 50,
      resetSeconds: 30,
    });
    expect(parsePolicy({ 'ratelimit-policy': '"default";q=1200;w=300' })).toEqual({
      quota: 1200,
      windowSeconds: 300,
    });
    expect(parseRateLimit({})).toBeUndefined();
  });
});

describe('RateLimitBudget', () => {
  it('lets requests go until the remaining count is spent, then waits for the reset', async () => {
    let now = 1_000;
    const budget = new RateLimitBudget(undefined, () => now);
    await budget.acquire();
    budget.release({ ratelimit: '"default";r=2;t=5', 'ratelimit-policy': '"default";q=10;w=5' });
    expect(budget.waitMs()).toBe(0);
    await budget.acquire();
    await budget.acquire();
    expect(budget.waitMs()).toBe(5_000);
    now += 5_000;
    expect(budget.waitMs()).toBe(0);
  });

  it('counts requests still in flight against what an answer says remains', async () => {
    const budget = new RateLimitBudget(undefined, () => 0);
    await budget.acquire();
    await budget.acquire();
    await budget.acquire();
    // r=3 minus the two requests still in flight, which Cloudflare may not have counted yet.
    budget.release({ ratelimit: '"default";r=3;t=9' });
    expect(budget.waitMs()).toBe(0);
    await budget.acquire();
    expect(budget.waitMs()).toBe(9_000);
  });

  it('pauses every worker for a 429, announcing the wait once', async () => {
    const heard: string[] = [];
    let now = 0;
    const budget = new RateLimitBudget(
      (ms, why) => heard.push(`${ms} ${why}`),
      () => now,
    );
    budget.pause(1_000);
    expect(budget.waitMs()).toBe(1_000);
    const first = budget.acquire();
    const second = budget.acquire();
    now = 1_000;
    await Promise.all([first, second]);
    expect(heard).toEqual(['1000 Cloudflare answered 429']);
  });

  it('never believes a reset further off than the window', async () => {
    const budget = new RateLimitBudget(undefined, () => 0);
    await budget.acquire();
    budget.release({ ratelimit: '"default";r=0;t=100000' });
    expect(budget.waitMs()).toBe(300_000);
    budget.release({
      ratelimit: '"default";r=0;t=100000',
      'ratelimit-policy': '"default";q=10;w=2',
    });
    expect(budget.waitMs()).toBe(2_000);
  });
});
