import { StepError } from '../errors.js';

/**
 * One zone's time budget across all its attempts and waits. It starts with the zone's first request
 * and stops while the zone waits for the shared rate-limit budget: time queued behind other zones,
 * or for the token's window to reset, is scheduling, not this zone's network time.
 */
export class Deadline {
  readonly timeoutMs: number;
  private readonly controller = new AbortController();
  private endsAt: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private pausedWithMs: number | undefined;
  /** What the zone is doing now, for the timeout message. */
  waitingFor = 'the first request';

  constructor(timeoutSeconds: number) {
    this.timeoutMs = timeoutSeconds * 1000;
  }

  start(): void {
    if (this.endsAt === undefined) this.arm(this.timeoutMs);
  }

  pause(): void {
    if (this.endsAt === undefined || this.pausedWithMs !== undefined || this.expired) return;
    this.pausedWithMs = this.remainingMs();
    clearTimeout(this.timer);
  }

  resume(): void {
    if (this.pausedWithMs === undefined) return;
    this.arm(this.pausedWithMs);
    this.pausedWithMs = undefined;
  }

  private arm(ms: number): void {
    this.endsAt = Date.now() + ms;
    this.timer = setTimeout(() => this.controller.abort(this.error()), ms);
    this.timer.unref();
  }

  get started(): boolean {
    return this.endsAt !== undefined;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get expired(): boolean {
    return this.controller.signal.aborted;
  }

  remainingMs(now = Date.now()): number {
    if (this.pausedWithMs !== undefined) return this.pausedWithMs;
    return this.endsAt === undefined ? this.timeoutMs : Math.max(0, this.endsAt - now);
  }

  error(): StepError {
    return new StepError(
      `timed out after ${this.timeoutMs / 1000}s waiting for ${this.waitingFor}. Raise timeout_seconds if Cloudflare is slow from this runner, or check the runner's network and proxy`,
    );
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
