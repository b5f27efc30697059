import type { CloudflareClient } from './cloudflare/client.js';
import { mapPool } from './pool.js';
import type { Settings } from './settings.js';
import {
  type Target,
  type ZoneResult,
  emptyResult,
  failed,
  newDeadline,
  processZone,
} from './zone-task.js';

/**
 * Works every zone, `concurrency` at a time: names are looked up first, so a zone given both by ID
 * and by name is set once. Every zone is attempted whatever happens to the others.
 */
export async function runZones(
  settings: Settings,
  client: CloudflareClient,
  onDone: (result: ZoneResult) => void = () => {},
): Promise<ZoneResult[]> {
  const requested = settings.enabled ?? null;
  const names = settings.zones.flatMap((ref) => (ref.zoneName === undefined ? [] : [ref.zoneName]));
  const lookups = await mapPool(names, settings.concurrency, async (zoneName) => {
    const deadline = newDeadline(settings);
    try {
      const zoneId = await client.findZone(zoneName, settings.accountId, deadline);
      return { target: { zoneId, zoneName, deadline } };
    } catch (error) {
      deadline.dispose();
      const failure = failed(emptyResult(null, zoneName, requested), error);
      onDone(failure);
      return { failure };
    }
  });

  const targets = new Map<string, Target>();
  for (const ref of settings.zones) {
    if (ref.zoneId !== undefined)
      targets.set(ref.zoneId, {
        zoneId: ref.zoneId,
        zoneName: null,
        deadline: newDeadline(settings),
      });
  }
  for (const { target } of lookups) {
    if (target === undefined) continue;
    const known = targets.get(target.zoneId);
    if (known === undefined) {
      targets.set(target.zoneId, target);
    } else {
      known.zoneName = target.zoneName;
      target.deadline.dispose();
    }
  }

  const results = await mapPool([...targets.values()], settings.concurrency, async (target) => {
    const result = await processZone(target, settings, client);
    onDone(result);
    return result;
  });
  return [
    ...results,
    ...lookups.flatMap(({ failure }) => (failure === undefined ? [] : [failure])),
  ];
}
