import { describe, expect, it } from '@jest/globals';
import { RateLimitBudget, parsePolicy, parseRateLimit } from '../src/cloudflare/budget.js';

describe('RateLimit headers', () => {
  it('reads r and t from RateLimit, and q and w from RateLimit-Policy', () => {
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
  const limit = (r: number, t: number) => ({
    ratelimit: `"default";r=${r};t=${t}`,
    'ratelimit-policy': '"default";q=10;w=5',
  });

  it('lets requests go until the remaining count is spent, then waits for the reset', async () => {
    let now = 1_000;
    const budget = new RateLimitBudget(undefined, () => now);
    const zone = await budget.reserve(3);
    await budget.send(zone, () => 0);
    budget.release(limit(2, 5));
    // r=2 minus the two requests reserved and not sent yet: nothing left for another zone.
    expect(budget.waitMs()).toBe(5_000);
    // The zone that reserved them sends without waiting.
    await budget.send(zone, () => 0);
    await budget.send(zone, () => 0);
    now += 5_000;
    expect(budget.waitMs()).toBe(0);
  });

  it('counts requests still in flight against what an answer says remains', async () => {
    const budget = new RateLimitBudget(undefined, () => 0);
    const first = await budget.reserve(1);
    await budget.send(first, () => 0);
    budget.release(limit(9, 5));
    const zones = [await budget.reserve(1), await budget.reserve(1), await budget.reserve(1)];
    for (const zone of zones) await budget.send(zone, () => 0);
    // r=3 minus the two requests still in flight, which Cloudflare may not have counted yet.
    budget.release(limit(3, 5));
    expect(budget.waitMs()).toBe(0);
    await budget.reserve(1);
    expect(budget.waitMs()).toBe(5_000);
  });

  it('lets one zone probe until the first answer tells what remains', async () => {
    const budget = new RateLimitBudget(undefined, () => 0);
    const probe = await budget.reserve(2);
    let second = false;
    const waiting = budget.reserve(2).then(() => (second = true));
    await budget.send(probe, () => 0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(second).toBe(false);
    budget.release(limit(9, 5));
    await waiting;
    expect(second).toBe(true);
  });

  it("waits for a window with room for all of a zone's requests before its first", async () => {
    let now = 0;
    const budget = new RateLimitBudget(undefined, () => now);
    const first = await budget.reserve(1);
    await budget.send(first, () => 0);
    budget.release(limit(1, 2));
    expect(budget.waitMs(1)).toBe(0);
    expect(budget.waitMs(2)).toBe(2_000);
    now = 2_000;
    expect(budget.waitMs(2)).toBe(0);
  });

  it('gives back what a zone did not use', async () => {
    const budget = new RateLimitBudget(undefined, () => 0);
    const zone = await budget.reserve(2);
    await budget.send(zone, () => 0);
    budget.release(limit(1, 4));
    expect(budget.waitMs()).toBe(4_000);
    budget.giveBack(zone);
    expect(budget.waitMs()).toBe(0);
  });

  it('refuses a wait longer than a started zone has left', async () => {
    const budget = new RateLimitBudget(undefined, () => 0);
    const zone = await budget.reserve(1);
    await budget.send(zone, () => 0);
    budget.release(limit(0, 4));
    await expect(budget.send(zone, () => 1_000)).rejects.toThrow(
      'the rate-limit budget needs a 4s wait',
    );
  });

  it('pauses every zone for a 429, announcing the wait once', async () => {
    const heard: string[] = [];
    let now = 0;
    const budget = new RateLimitBudget(
      (ms, why) => heard.push(`${ms} ${why}`),
      () => now,
    );
    const zone = await budget.reserve(2);
    await budget.send(zone, () => 0);
    budget.release({});
    budget.pause(1_000);
    expect(budget.waitMs()).toBe(1_000);
    const sending = budget.send(zone, () => Number.POSITIVE_INFINITY);
    const reserving = budget.reserve(1);
    now = 1_000;
    await Promise.all([sending, reserving]);
    expect(heard).toEqual(['1000 Cloudflare answered 429']);
  });

  it('never believes a reset further off than the window', async () => {
    const budget = new RateLimitBudget(undefined, () => 0);
    const zone = await budget.reserve(1);
    await budget.send(zone, () => 0);
    budget.release({ ratelimit: '"default";r=0;t=100000' });
    expect(budget.waitMs()).toBe(300_000);
    budget.release({
      ratelimit: '"default";r=0;t=100000',
      'ratelimit-policy': '"default";q=10;w=2',
    });
    expect(budget.waitMs()).toBe(2_000);
  });

  it('refills a reset window once, counting what is still in flight', async () => {
    let now = 0;
    const budget = new RateLimitBudget(undefined, () => now);
    const probe = await budget.reserve(1);
    await budget.send(probe, () => 0);
    budget.release(limit(1, 2));
    const zones = [await budget.reserve(1)];
    await budget.send(zones[0] ?? probe, () => 0);
    now = 2_000;
    // Quota 10 in the new window, one request still in flight: nine more, then a wait.
    for (let i = 0; i < 9; i += 1) zones.push(await budget.reserve(1));
    expect(budget.waitMs()).toBe(5_000);
  });

  it('ends the probe when it fails without an answer, so a fleet is not run one by one', async () => {
    const budget = new RateLimitBudget(undefined, () => 0);
    const probe = await budget.reserve(1);
    await budget.send(probe, () => 0);
    budget.release();
    const zones = await Promise.all([budget.reserve(1), budget.reserve(1), budget.reserve(1)]);
    expect(zones).toHaveLength(3);
  });

  it('never pauses longer than a window for a 429', () => {
    const budget = new RateLimitBudget(undefined, () => 0);
    budget.pause(3_600_000);
    expect(budget.waitMs()).toBe(300_000);
  });

  it('takes the count of a new window instead of keeping the last, lower one', async () => {
    let now = 0;
    const budget = new RateLimitBudget(undefined, () => now);
    const probe = await budget.reserve(1);
    await budget.send(probe, () => 0);
    budget.release(limit(0, 2));
    now = 2_500;
    const next = await budget.reserve(1);
    await budget.send(next, () => 0);
    budget.release(limit(9, 5));
    expect(budget.waitMs(9)).toBe(0);
  });
});
