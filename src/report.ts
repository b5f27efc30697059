import * as core from '@actions/core';
import { StepError, messageOf } from './errors.js';
import type { Settings } from './settings.js';
import { writeSummary } from './summary.js';
import { describeZone } from './zone-refs.js';
import { type ZoneResult, onOff } from './zone-task.js';

type Redact = (text: string) => string;

/** With logResult, the only place that writes the zones' log lines, annotations, outputs, summary and exit code. */
export async function report(
  results: ZoneResult[],
  settings: Settings,
  redact: Redact,
): Promise<void> {
  try {
    setOutputs(results, redact);
  } catch (error) {
    throw new StepError(
      `could not write the step's outputs to GITHUB_OUTPUT: ${redact(messageOf(error))}. The zones were processed; check the runner's disk and GITHUB_OUTPUT`,
    );
  }

  const failures = results.filter((result) => result.error !== null);
  if (process.env.GITHUB_STEP_SUMMARY) {
    try {
      await writeSummary(results, settings, redact);
    } catch (error) {
      core.warning(
        `could not write the job summary: ${redact(error instanceof Error ? error.message : String(error))}`,
      );
    }
  }
  if (failures.length > 0) {
    process.exitCode = core.ExitCode.Failure;
    if (results.length > 1) core.info(`${failures.length} of ${results.length} zones failed.`);
  }
}

/** One zone's log line (or annotation), written as soon as the zone is done so long fleets show progress. */
export function logResult(result: ZoneResult, redact: Redact): void {
  const zone = describeZone(result);
  for (const notice of result.notices)
    core.notice(redact(notice), { title: `Cloudflare: ${zone}` });
  for (const warning of result.warnings) core.warning(redact(warning), { title: zone });
  if (result.error !== null) {
    core.error(redact(`${zone}: ${result.error}`), { title: `Zone ${zone}` });
    return;
  }
  const modified = result.modifiedOn ? ` (modified_on ${result.modifiedOn})` : '';
  const line: Record<Exclude<ZoneResult['outcome'], 'failed' | 'drift'>, string> = {
    set: `set to ${onOff(result.enabled)}${modified}`,
    changed: `changed from ${onOff(result.previousEnabled)} to ${onOff(result.enabled)}${modified}`,
    unchanged: `already ${onOff(result.enabled)}: nothing written${modified}`,
    matches: `${onOff(result.enabled)}, as expected${modified}`,
    read: `${onOff(result.enabled)}${modified}`,
  };
  core.info(redact(`${zone}: Auto-Origin TLS KEX ${line[result.outcome as keyof typeof line]}`));
}

/** `results` always; the single-zone outputs only from successful answers (and in check, the state read). */
function setOutputs(results: ZoneResult[], redact: Redact): void {
  // Errors can quote what Cloudflare sent back, which can echo a credential.
  core.setOutput('results', redact(JSON.stringify(results.map(toResultsEntry))));
  const [only] = results;
  if (results.length !== 1 || only === undefined || only.enabled === null) return;
  if (only.outcome === 'failed') return;
  core.setOutput('enabled', String(only.enabled));
  core.setOutput('modified_on', only.modifiedOn ?? '');
  if (only.changed !== null) core.setOutput('changed', String(only.changed));
  if (only.previousEnabled !== null)
    core.setOutput('previous_enabled', String(only.previousEnabled));
}

function toResultsEntry(result: ZoneResult): Record<string, string | boolean | null> {
  return {
    zone_id: result.zoneId,
    zone_name: result.zoneName,
    enabled: result.enabled,
    modified_on: result.modifiedOn,
    previous_enabled: result.previousEnabled,
    changed: result.changed,
    error: result.error,
  };
}
