import { afterEach } from '@jest/globals';
import { type StandIn, type StandInOptions, startStandIn } from '../../stand-in/cloudflare.mjs';

/** A start function for one stand-in per test, closed after each test. */
export function standInPerTest(): (options?: StandInOptions) => Promise<StandIn> {
  let current: StandIn | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return async (options = {}) => {
    current = await startStandIn(options);
    return current;
  };
}
