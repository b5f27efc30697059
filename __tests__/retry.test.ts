import { describe, expect, it } from '@jest/globals';
import { backoffMs, isRetryableStatus, retryAfterMs } from '../src/cloudflare/retry.js';

describe('isRetryableStatus', () => {
  it('retries rate limits and server errors, including Cloudflare 52x', () => {
    for (const status of [429, 500, 502, 503, 504, 520, 521, 522, 523, 524, 525, 526, 527]) {
      expect(isRetryableStatus(status)).toBe(true);
    }
  });

  it('never retries another 4xx, nor 501 or 528', () => {
    for (const status of [400, 401, 403, 404, 405, 409, 415, 422, 501, 505, 528, 200]) {
      expect(isRetryableStatus(status)).toBe(false);
    }
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-12-03T10:00:00Z');

  it('reads retry-after-ms first', () => {
    expect(retryAfterMs({ 'retry-after-ms': '1500.2', 'retry-after': '9' }, now)).toBe(1501);
  });

  it('reads retry-after in seconds', () => {
    expect(retryAfterMs({ 'retry-after': '3' }, now)).toBe(3000);
  });

  it('reads retry-after as an HTTP date', () => {
    expect(retryAfterMs({ 'retry-after': 'Thu, 03 Dec 2026 10:00:07 GMT' }, now)).toBe(7000);
  });

  it('ignores a missing or unreadable header', () => {
    expect(retryAfterMs({}, now)).toBeUndefined();
    expect(retryAfterMs({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(retryAfterMs({ 'retry-after': '-1' }, now)).toBeUndefined();
  });
});

describe('backoffMs', () => {
  it('doubles from 500 ms, capped at 8 s, with up to 25% jitter off', () => {
    expect([1, 2, 3, 4, 5, 6].map((retry) => backoffMs(retry, () => 0))).toEqual([
      500, 1000, 2000, 4000, 8000, 8000,
    ]);
    expect(backoffMs(1, () => 1)).toBe(375);
  });
});
