import { describe, expect, it } from '@jest/globals';
import { Deadline } from '../src/cloudflare/deadline.js';

describe('Deadline', () => {
  it('does not run before the first request', async () => {
    const deadline = new Deadline(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(deadline.started).toBe(false);
    expect(deadline.remainingMs()).toBe(1000);
    expect(deadline.signal.aborted).toBe(false);
  });

  it('aborts with what it was waiting for once started', async () => {
    const deadline = new Deadline(1);
    deadline.waitingFor = 'Cloudflare to answer PATCH (attempt 2 of 4)';
    deadline.start();
    await new Promise((resolve) => deadline.signal.addEventListener('abort', resolve));
    expect(deadline.expired).toBe(true);
    expect((deadline.signal.reason as Error).message).toMatch(
      /^timed out after 1s waiting for Cloudflare to answer PATCH \(attempt 2 of 4\)\. Raise timeout_seconds/,
    );
  });
});
