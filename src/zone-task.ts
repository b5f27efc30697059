import type { CloudflareClient, Setting } from './cloudflare/client.js';
import { StepError, messageOf } from './errors.js';
import type { Settings } from './settings.js';
import type { ZoneRef } from './zone-refs.js';

export type Outcome = 'set' | 'changed' | 'unchanged' | 'matches' | 'drift' | 'read' | 'failed';

/** What happened to one zone: every field known from a successful answer, or null. */
export interface ZoneResult {
  zoneId: string | null;
  zoneName: string | null;
  /** The state asked for (apply) or expected (check). */
  requested: boolean | null;
  previousEnabled: boolean | null;
  enabled: boolean | null;
  modifiedOn: string | null;
  changed: boolean | null;
  outcome: Outcome;
  error: string | null;
  codes: number[];
  notices: string[];
  warnings: string[];
}

function emptyResult(
  zoneId: string | null,
  zoneName: string | null,
  requested: boolean | null,
): ZoneResult {
  return {
    zoneId,
    zoneName,
    requested,
    previousEnabled: null,
    enabled: null,
    modifiedOn: null,
    changed: null,
    outcome: 'failed',
    error: null,
    codes: [],
    notices: [],
    warnings: [],
  };
}

export function failed(result: ZoneResult, error: unknown): ZoneResult {
  return {
    ...result,
    outcome: 'failed',
    error: messageOf(error),
    codes: error instanceof StepError ? error.codes : [],
    notices: [...result.notices, ...(error instanceof StepError ? error.notices : [])],
  };
}

/** The requests a zone makes when all goes well, reserved before its first one. */
function plannedRequests(ref: ZoneRef, settings: Settings): number {
  const lookup = ref.zoneName === undefined ? 0 : 1;
  return lookup + (settings.mode === 'apply' && settings.skipUnchanged ? 2 : 1);
}

/**
 * Runs the mode for one zone, after looking its name up where it was given by name. Never throws: a
 * failure is the result's `error`. Returns undefined when `claim` says another entry has that zone.
 */
export async function processZone(
  ref: ZoneRef,
  settings: Settings,
  client: CloudflareClient,
  claim: (zoneId: string, zoneName: string) => boolean,
): Promise<ZoneResult | undefined> {
  const { mode, enabled: requested, skipUnchanged } = settings;
  let result = emptyResult(ref.zoneId ?? null, ref.zoneName ?? null, requested ?? null);
  const record = (setting: Setting): void => {
    result = {
      ...result,
      enabled: setting.enabled,
      modifiedOn: setting.modifiedOn ?? null,
      notices: [...result.notices, ...setting.notices],
      warnings: [...result.warnings, ...setting.warnings],
    };
  };
  const zone = await client.begin(plannedRequests(ref, settings), settings.timeoutSeconds);
  try {
    let zoneId: string;
    if (ref.zoneId === undefined) {
      zoneId = await client.findZone(ref.zoneName, settings.accountId, zone);
      if (!claim(zoneId, ref.zoneName)) return undefined;
      result = { ...result, zoneId };
    } else {
      zoneId = ref.zoneId;
    }
    if (mode === 'read') {
      record(await client.getSetting(zoneId, zone));
      return { ...result, outcome: 'read' };
    }
    // Settings guarantee enabled in apply and check.
    const wanted = requested === true;
    if (mode === 'check') {
      record(await client.getSetting(zoneId, zone));
      const previous = { ...result, previousEnabled: result.enabled, changed: false };
      if (result.enabled === wanted) return { ...previous, outcome: 'matches' };
      return {
        ...previous,
        outcome: 'drift',
        error: `drift: Auto-Origin TLS KEX is ${onOff(result.enabled)} but expected ${onOff(wanted)}. Run this step with mode: apply to set it, or fix the expectation`,
      };
    }
    if (skipUnchanged) {
      record(await client.getSetting(zoneId, zone));
      result = { ...result, previousEnabled: result.enabled };
      if (result.enabled === wanted) return { ...result, changed: false, outcome: 'unchanged' };
      record(await client.setSetting(zoneId, wanted, zone));
      return { ...result, changed: true, outcome: 'changed' };
    }
    record(await client.setSetting(zoneId, wanted, zone));
    return { ...result, outcome: 'set' };
  } catch (error) {
    // Values read before the failure are kept for results; outputs use successes only.
    return failed({ ...result, enabled: null, modifiedOn: null }, error);
  } finally {
    client.end(zone);
  }
}

export function onOff(value: boolean | null): string {
  return value === null ? 'unknown' : value ? 'on' : 'off';
}
