import type { CloudflareClient, Setting } from './cloudflare/client.js';
import { Deadline } from './cloudflare/deadline.js';
import { StepError, messageOf } from './errors.js';
import type { Settings } from './settings.js';

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

/** A zone to work on, with its own deadline (which a name lookup has already started). */
export interface Target {
  zoneId: string;
  zoneName: string | null;
  deadline: Deadline;
}

export function emptyResult(
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
  };
}

/** Runs the mode for one zone. Never throws: a failure is the result's `error`. */
export async function processZone(
  target: Target,
  settings: Settings,
  client: CloudflareClient,
): Promise<ZoneResult> {
  const { mode, enabled: requested, skipUnchanged } = settings;
  let result = emptyResult(target.zoneId, target.zoneName, requested ?? null);
  const record = (setting: Setting): void => {
    result = {
      ...result,
      enabled: setting.enabled,
      modifiedOn: setting.modifiedOn ?? null,
      notices: [...result.notices, ...setting.notices],
      warnings: [...result.warnings, ...setting.warnings],
    };
  };
  try {
    if (mode === 'read') {
      record(await client.getSetting(target.zoneId, target.deadline));
      return { ...result, outcome: 'read' };
    }
    if (requested === undefined) throw new Error(`enabled is required in mode ${mode}`);
    if (mode === 'check') {
      record(await client.getSetting(target.zoneId, target.deadline));
      const previous = { ...result, previousEnabled: result.enabled, changed: false };
      if (result.enabled === requested) return { ...previous, outcome: 'matches' };
      return {
        ...previous,
        outcome: 'drift',
        error: `drift: Auto-Origin TLS KEX is ${onOff(result.enabled)} but expected ${onOff(requested)}. Run this step with mode: apply to set it, or fix the expectation`,
      };
    }
    if (skipUnchanged) {
      record(await client.getSetting(target.zoneId, target.deadline));
      result = { ...result, previousEnabled: result.enabled };
      if (result.enabled === requested) return { ...result, changed: false, outcome: 'unchanged' };
      record(await client.setSetting(target.zoneId, requested, target.deadline));
      return { ...result, changed: true, outcome: 'changed' };
    }
    record(await client.setSetting(target.zoneId, requested, target.deadline));
    return { ...result, outcome: 'set' };
  } catch (error) {
    // Values read before the failure are kept for results; outputs use successes only.
    return failed({ ...result, enabled: null, modifiedOn: null }, error);
  } finally {
    target.deadline.dispose();
  }
}

export function onOff(value: boolean | null): string {
  return value === null ? 'unknown' : value ? 'on' : 'off';
}

export function newDeadline(settings: Settings): Deadline {
  return new Deadline(settings.timeoutSeconds);
}
