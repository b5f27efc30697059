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
 * and by name is set once. Every zone is attempted whatever happens to the others; results keep the
 * order in which the zones were given (IDs, then names).
 */
export async function runZones(
  settings: Settings,
  client: CloudflareClient,
  onDone: (result: ZoneResult) => void = () => {},
): Promise<ZoneResult[]> {
  const requested = settings.enabled ?? null;
  const slots = await mapPool(
    settings.zones,
    settings.concurrency,
    async (ref): Promise<Target | ZoneResult> => {
      const deadline = newDeadline(settings);
      if (ref.zoneId !== undefined) return { zoneId: ref.zoneId, zoneName: null, deadline };
      try {
        const zoneId = await client.findZone(ref.zoneName, settings.accountId, deadline);
        return { zoneId, zoneName: ref.zoneName, deadline };
      } catch (error) {
        deadline.dispose();
        const failure = failed(emptyResult(null, ref.zoneName, requested), error);
        onDone(failure);
        return failure;
      }
    },
  );

  // One target per zone ID: a name that resolves to a zone already listed only adds its name.
  const targets = new Map<string, Target>();
  const ordered = slots.flatMap((slot): (Target | ZoneResult)[] => {
    if (!('deadline' in slot)) return [slot];
    const known = targets.get(slot.zoneId);
    if (known === undefined) {
      targets.set(slot.zoneId, slot);
      return [slot];
    }
    known.zoneName ??= slot.zoneName;
    slot.deadline.dispose();
    return [];
  });

  return mapPool(ordered, settings.concurrency, async (slot) => {
    if (!('deadline' in slot)) return slot;
    const result = await processZone(slot, settings, client);
    onDone(result);
    return result;
  });
}
