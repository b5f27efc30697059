import { describe, expect, it } from '@jest/globals';
import { mapPool } from '../src/pool.js';

describe('mapPool', () => {
  it("keeps the items' order and never runs more than the limit at once", async () => {
    let active = 0;
    let most = 0;
    const results = await mapPool([30, 5, 20, 1, 10], 2, async (ms) => {
      active += 1;
      most = Math.max(most, active);
      await new Promise((resolve) => setTimeout(resolve, ms));
      active -= 1;
      return ms * 2;
    });
    expect(results).toEqual([60, 10, 40, 2, 20]);
    expect(most).toBe(2);
  });

  it('does nothing for no items', async () => {
    expect(await mapPool([], 4, async () => 1)).toEqual([]);
  });
});
