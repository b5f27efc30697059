import { StepError } from '../errors.js';

/**
 * One zone's time budget across all its attempts and waits. It starts with the zone's first request,
 * so time queued behind other zones or for the rate-limit budget before that does not count.
 */
export class Deadline {
  readonly timeoutMs: number;
  private readonly controller = new AbortController();
  private endsAt: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** What the zone is doing now, for the timeout message. */
  waitingFor = 'the first request';

  constructor(timeoutSeconds: number) {
    this.timeoutMs = timeoutSeconds * 1000;
  }

  start(): void {
    if (this.endsAt !== undefined) return;
    this.endsAt = Date.now() + this.timeoutMs;
    this.timer = setTimeout(() => this.controller.abort(this.error()), this.timeoutMs);
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
