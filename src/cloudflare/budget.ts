import { setTimeout as sleep } from 'node:timers/promises';

type Headers = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Reads `r` (remaining) and `t` (seconds to reset) from an IETF `RateLimit` header, e.g. `"default";r=50;t=30`. */
export function parseRateLimit(
  headers: Headers,
): { remaining: number; resetSeconds: number } | undefined {
  const value = first(headers['ratelimit']);
  if (value === undefined) return undefined;
  const remaining = /(?:^|;)\s*r=(\d+)/.exec(value)?.[1];
  const reset = /(?:^|;)\s*t=(\d+)/.exec(value)?.[1];
  return remaining === undefined || reset === undefined
    ? undefined
    : { remaining: Number(remaining), resetSeconds: Number(reset) };
}

/** Reads `q` (requests) and `w` (seconds) of the window from `RateLimit-Policy`, e.g. `"default";q=1200;w=300`. */
export function parsePolicy(headers: Headers): { quota?: number; windowSeconds?: number } {
  const policy = first(headers['ratelimit-policy']) ?? '';
  const quota = /(?:^|;)\s*q=(\d+)/.exec(policy)?.[1];
  const window = /(?:^|;)\s*w=(\d+)/.exec(policy)?.[1];
  return {
    quota: quota === undefined ? undefined : Number(quota),
    windowSeconds: window === undefined ? undefined : Number(window),
  };
}

// Cloudflare's window is 5 minutes: a reset announced further off than the window is not believed.
const DEFAULT_WINDOW_SECONDS = 300;

/**
 * The token's request budget, shared by every zone's worker: each request sent takes one from what
 * Cloudflare last said remains; when none remains every worker waits for the window to reset, and
 * a 429's Retry-After pauses them all. This keeps a fleet under the limit instead of tripping 429s.
 */
export class RateLimitBudget {
  private remaining: number | undefined;
  private quota: number | undefined;
  private windowSeconds = DEFAULT_WINDOW_SECONDS;
  private resetAt = 0;
  private pausedUntil = 0;
  private inFlight = 0;
  private announcedUntil = Number.NEGATIVE_INFINITY;

  /** `onWait` hears of each new wait once, however many workers share it. */
  constructor(
    private readonly onWait: (ms: number, why: string) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {}

  /** The wait before the next request may be sent, in ms (0: send now). */
  waitMs(): number {
    const now = this.now();
    if (now < this.pausedUntil) return this.pausedUntil - now;
    if (this.remaining !== undefined && this.remaining <= 0) {
      if (now < this.resetAt) return this.resetAt - now;
      this.remaining = this.quota;
    }
    return 0;
  }

  /** Waits for room, then takes one request from the budget. */
  async acquire(): Promise<void> {
    for (let wait = this.waitMs(); wait > 0; wait = this.waitMs()) {
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
    if (this.remaining !== undefined) this.remaining -= 1;
    this.inFlight += 1;
  }

  /** Records an answer (or a failed attempt, without headers) for a request taken with acquire(). */
  release(headers?: Headers): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (headers === undefined) return;
    const policy = parsePolicy(headers);
    this.quota = policy.quota ?? this.quota;
    this.windowSeconds = policy.windowSeconds ?? this.windowSeconds;
    const limit = parseRateLimit(headers);
    if (limit === undefined) return;
    // Requests still in flight may not be counted in `r` yet: assume they are not, to stay under the limit.
    const remaining = limit.remaining - this.inFlight;
    this.remaining = this.remaining === undefined ? remaining : Math.min(this.remaining, remaining);
    this.resetAt = this.now() + Math.min(limit.resetSeconds, this.windowSeconds) * 1000;
  }

  /** A 429: every worker waits this long before its next request. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }
}
