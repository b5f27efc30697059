import * as core from '@actions/core';
import { parseApiUrl } from './api-url.js';
import { type Credentials, parseCredentials } from './credentials.js';
import { InputError } from './errors.js';
import { type ZoneRef, parseZoneIds, parseZoneNames } from './zone-refs.js';

export type Mode = 'apply' | 'check' | 'read';

/** Every input, parsed and validated: the rest of the action never reads an input itself. */
export interface Settings {
  mode: Mode;
  /** The state to set (apply) or expect (check); undefined in read. */
  enabled: boolean | undefined;
  skipUnchanged: boolean;
  zones: ZoneRef[];
  accountId: string | undefined;
  credentials: Credentials;
  apiUrl: string;
  maxRetries: number;
  timeoutSeconds: number;
  concurrency: number;
}

const MODES: readonly Mode[] = ['apply', 'check', 'read'];

/** Reads and checks every input before any request; all problems are reported together. */
export function readSettings(): { settings: Settings; warnings: string[] } {
  const problems: string[] = [];
  const warnings: string[] = [];

  // Mask first, so no later message can show a credential.
  const credentialInputs = {
    token: secretInput('token'),
    apiEmail: secretInput('api_email'),
    apiKey: secretInput('api_key'),
  };
  const {
    credentials,
    problems: credentialProblems,
    warnings: credentialWarnings,
  } = parseCredentials(credentialInputs);
  problems.push(...credentialProblems);
  warnings.push(...credentialWarnings);

  const mode = core.getInput('mode') || 'apply';
  if (!MODES.includes(mode as Mode)) {
    problems.push(`mode "${mode}" is not one of apply, check, read (lower case)`);
  }

  const enabledRaw = core.getInput('enabled');
  let enabled: boolean | undefined;
  if (enabledRaw !== '' && mode !== 'read') {
    enabled = booleanInput('enabled', problems);
  } else if (enabledRaw === '' && (mode === 'apply' || mode === 'check')) {
    problems.push(`enabled is required in mode ${mode}: set it to true or false`);
  } else if (enabledRaw !== '' && mode === 'read') {
    warnings.push('enabled is ignored in mode read');
  }

  let skipUnchanged =
    core.getInput('skip_unchanged') !== '' && booleanInput('skip_unchanged', problems) === true;
  if (skipUnchanged && mode !== 'apply' && MODES.includes(mode as Mode)) {
    warnings.push(`skip_unchanged applies to mode apply only and is ignored in mode ${mode}`);
    skipUnchanged = false;
  }

  const { zoneIds, problems: idProblems } = parseZoneIds(core.getInput('zone_id'));
  const { zoneNames, problems: nameProblems } = parseZoneNames(core.getInput('zone_name'));
  problems.push(...idProblems, ...nameProblems);
  if (
    idProblems.length === 0 &&
    nameProblems.length === 0 &&
    zoneIds.length + zoneNames.length === 0
  ) {
    problems.push(
      'zone_id is required: set it to the Zone ID (32 hex digits), or set zone_name to the domain',
    );
  }
  const accountId = core.getInput('account_id') || undefined;
  if (accountId !== undefined && !/^[0-9a-f]{32}$/i.test(accountId)) {
    problems.push(
      accountId.length === 32
        ? 'account_id has a character that is not a hex digit: an Account ID is 32 hex digits'
        : `account_id has ${accountId.length} characters: an Account ID is 32 hex digits`,
    );
  }
  if (accountId !== undefined && zoneNames.length === 0) {
    warnings.push('account_id is used only to look up zone_name and is ignored here');
  }

  const { apiUrl, problems: urlProblems } = parseApiUrl(
    core.getInput('api_url') || 'https://api.cloudflare.com/client/v4',
  );
  problems.push(...urlProblems);
  const maxRetries = integerInput('max_retries', 3, 0, 10, problems);
  const timeoutSeconds = integerInput('timeout_seconds', 30, 1, 86_400, problems);
  const concurrency = integerInput('concurrency', 4, 1, 50, problems);

  if (problems.length > 0 || credentials === undefined || apiUrl === undefined) {
    throw new InputError(problems);
  }
  const zones: ZoneRef[] = [
    ...zoneIds.map((zoneId) => ({ zoneId })),
    ...zoneNames.map((zoneName) => ({ zoneName })),
  ];
  return {
    settings: {
      mode: mode as Mode,
      enabled,
      skipUnchanged,
      zones,
      accountId: accountId?.toLowerCase(),
      credentials,
      apiUrl,
      maxRetries,
      timeoutSeconds,
      concurrency,
    },
    warnings,
  };
}

function secretInput(name: string): string {
  const value = core.getInput(name);
  if (value !== '') core.setSecret(value);
  return value;
}

// core.getBooleanInput accepts exactly YAML 1.2's booleans; its error is reworded to one line.
function booleanInput(name: string, problems: string[]): boolean | undefined {
  try {
    return core.getBooleanInput(name);
  } catch {
    problems.push(
      `${name} "${core.getInput(name)}" is not a boolean: use true or false (True, TRUE, False, FALSE also work)`,
    );
    return undefined;
  }
}

function integerInput(
  name: string,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  const raw = core.getInput(name);
  if (raw === '') return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    problems.push(`${name} "${raw}" is not a whole number from ${min} to ${max}`);
    return fallback;
  }
  return value;
}
