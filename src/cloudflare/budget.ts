import { setTimeout as sleep } from 'node:timers/promises';
import { type Headers, headerValue } from './headers.js';

/** Reads `r` (remaining) and `t` (seconds to reset) from an IETF `RateLimit` header, e.g. `"default";r=50;t=30`. */
export function parseRateLimit(
  headers: Headers,
): { remaining: number; resetSeconds: number } | undefined {
  const value = headerValue(headers, 'ratelimit');
  if (value === undefined) return undefined;
  const remaining = /(?:^|;)\s*r=(\d+)/.exec(value)?.[1];
  const reset = /(?:^|;)\s*t=(\d+)/.exec(value)?.[1];
  return remaining === undefined || reset === undefined
    ? undefined
    : { remaining: Number(remaining), resetSeconds: Number(reset) };
}

/** Reads `q` (requests) and `w` (seconds) of the window from `RateLimit-Policy`, e.g. `"default";q=1200;w=300`. */
export function parsePolicy(headers: Headers): { quota?: number; windowSeconds?: number } {
  const policy = headerValue(headers, 'ratelimit-policy') ?? '';
  const quota = /(?:^|;)\s*q=(\d+)/.exec(policy)?.[1];
  const window = /(?:^|;)\s*w=(\d+)/.exec(policy)?.[1];
  return {
    quota: quota === undefined ? undefined : Number(quota),
    windowSeconds: window === undefined ? undefined : Number(window),
  };
}

// Cloudflare's window is 5 minutes: a reset announced further off than the window is not believed.
const DEFAULT_WINDOW_SECONDS = 300;

/** The requests set aside for one zone before its first request. */
export interface Allowance {
  left: number;
}

export class BudgetWaitTooLong extends Error {
  constructor(readonly waitMs: number) {
    super(`the rate-limit budget needs a ${Math.ceil(waitMs / 1000)}s wait`);
  }
}

/**
 * The token's request budget, shared by every zone: each request takes one from what Cloudflare last
 * said remains (RateLimit header); when none remains everyone waits for the window to reset, and a
 * 429's Retry-After pauses everyone. A zone reserves all the requests it plans before its first one,
 * so that once started it is not stopped halfway (GET done, PATCH waiting) by a spent window.
 */
export class RateLimitBudget {
  private remaining: number | undefined;
  private quota: number | undefined;
  private windowSeconds = DEFAULT_WINDOW_SECONDS;
  private resetAt = 0;
  private pausedUntil = 0;
  /** Reserved by allowances and not sent yet. */
  private reserved = 0;
  /** Sent and not answered yet. */
  private inFlight = 0;
  private announcedUntil = Number.NEGATIVE_INFINITY;
  /** Whether any answer has come back: until one does, the budget is unknown. */
  private heard = false;
  private wake: () => void = () => {};
  private changed = this.nextChange();

  /** `onWait` hears of each new wait once, however many zones share it. */
  constructor(
    private readonly onWait: (ms: number, why: string) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {}

  /** The wait before `count` more requests may be reserved, in ms (0: now). */
  waitMs(count = 1): number {
    const now = this.now();
    if (now < this.pausedUntil) return this.pausedUntil - now;
    // Never wait for more than one window can hold.
    const need = Math.min(count, this.quota ?? count);
    if (count > 0 && this.remaining !== undefined && this.remaining < need) {
      if (now < this.resetAt) return this.resetAt - now;
      if (this.quota === undefined) {
        this.remaining = undefined;
        return 0;
      }
      // A new window: refilled once, less what is promised or on its way, and not again before it ends.
      this.remaining = this.quota - this.reserved - this.inFlight;
      this.resetAt = now + this.windowSeconds * 1000;
      if (this.remaining < need) return this.resetAt - now;
    }
    return 0;
  }

  /**
   * Sets `count` requests aside for one zone, waiting as long as the budget needs. Until the first
   * answer tells what remains, one zone probes and the others wait for it.
   */
  async reserve(count: number): Promise<Allowance> {
    // No await between the last check and take(): zones starting together must not all see room.
    for (;;) {
      if (!this.heard && this.reserved + this.inFlight > 0) {
        await this.changed;
        continue;
      }
      const wait = this.waitMs(count);
      if (wait === 0) break;
      await this.waitOut(wait, Number.POSITIVE_INFINITY);
    }
    this.take(count);
    return { left: count };
  }

  /**
   * Takes one request for a zone: from its allowance, else from the budget. Either way it waits out a
   * 429's pause; a wait longer than `maxWaitMs()` (asked anew before each wait) throws BudgetWaitTooLong.
   */
  async send(allowance: Allowance, maxWaitMs: () => number): Promise<void> {
    const count = allowance.left > 0 ? 0 : 1;
    for (let wait = this.waitMs(count); wait > 0; wait = this.waitMs(count)) {
      await this.waitOut(wait, maxWaitMs());
    }
    if (count === 0) allowance.left -= 1;
    else this.take(1);
    this.reserved -= 1;
    this.inFlight += 1;
  }

  /** Records an answer (or a failed attempt, without headers) for a request taken with send(). */
  release(headers?: Headers): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    // The probe is over however it ended: a probe that got no answer must not serialize the fleet.
    this.heard = true;
    this.notify();
    if (headers === undefined) return;
    const policy = parsePolicy(headers);
    this.quota = policy.quota ?? this.quota;
    this.windowSeconds = policy.windowSeconds ?? this.windowSeconds;
    const limit = parseRateLimit(headers);
    if (limit === undefined) return;
    // Requests in flight or reserved may not be counted in `r` yet: assume they are not, to stay under.
    const remaining = limit.remaining - this.inFlight - this.reserved;
    const resetAt = this.now() + Math.min(limit.resetSeconds, this.windowSeconds) * 1000;
    // A reset further off than the one known (beyond t's rounding) means Cloudflare started a new window.
    const newWindow = resetAt > this.resetAt + 1000;
    this.remaining =
      this.remaining === undefined || newWindow ? remaining : Math.min(this.remaining, remaining);
    if (newWindow || resetAt < this.resetAt) this.resetAt = resetAt;
  }

  /** Returns what a zone reserved and did not use (a skip_unchanged zone that needed no PATCH). */
  giveBack(allowance: Allowance): void {
    this.reserved -= allowance.left;
    if (this.remaining !== undefined) this.remaining += allowance.left;
    allowance.left = 0;
    this.notify();
  }

  /** A 429: everyone waits this long (never longer than a window) before their next request. */
  pause(ms: number): void {
    const wait = Math.min(ms, this.windowSeconds * 1000);
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + wait);
  }

  private nextChange(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  private notify(): void {
    this.wake();
    this.changed = this.nextChange();
  }

  private take(count: number): void {
    if (this.remaining !== undefined) this.remaining -= count;
    this.reserved += count;
  }

  private async waitOut(wait: number, maxWaitMs: number): Promise<void> {
    if (wait > maxWaitMs) throw new BudgetWaitTooLong(wait);
    const until = this.now() + wait;
    // Answers within one window move its reset by a few ms: that is still the same wait.
    if (wait >= 1000 && until > this.announcedUntil + 1000) {
      this.announcedUntil = until;
      this.onWait(
        wait,
        this.now() < this.pausedUntil
          ? 'Cloudflare answered 429'
          : "the token's rate-limit window is spent",
      );
    }
    await sleep(wait);
  }
}
