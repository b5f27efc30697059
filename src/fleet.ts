import type { CloudflareClient } from './cloudflare/client.js';
import { mapPool } from './pool.js';
import type { Settings } from './settings.js';
import { type ZoneResult, processZone } from './zone-task.js';

/**
 * Works every zone, `concurrency` at a time, whatever happens to the others; results keep the order
 * in which zones were given. A name that resolves to a zone already listed is not set twice: it only
 * names that zone's result.
 */
export async function runZones(
  settings: Settings,
  client: CloudflareClient,
  onDone: (result: ZoneResult) => void = () => {},
): Promise<ZoneResult[]> {
  const claimed = new Set(
    settings.zones.flatMap((ref) => (ref.zoneId === undefined ? [] : [ref.zoneId])),
  );
  const alsoNamed = new Map<string, string>();
  const claim = (zoneId: string, zoneName: string): boolean => {
    if (claimed.has(zoneId)) {
      alsoNamed.set(zoneId, zoneName);
      return false;
    }
    claimed.add(zoneId);
    return true;
  };

  const results = await mapPool(settings.zones, settings.concurrency, async (ref) => {
    const result = await processZone(ref, settings, client, claim);
    if (result !== undefined) onDone(result);
    return result;
  });
  return results.flatMap((result) =>
    result === undefined
      ? []
      : [{ ...result, zoneName: result.zoneName ?? alsoNamed.get(result.zoneId ?? '') ?? null }],
  );
}
