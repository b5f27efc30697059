import * as core from '@actions/core';
import { runContext } from './run-context.js';
import type { Settings } from './settings.js';
import { describeZone } from './zone-refs.js';
import { type ZoneResult, onOff } from './zone-task.js';

const OUTCOME: Record<ZoneResult['outcome'], string> = {
  set: '✅ set',
  changed: '✅ changed',
  unchanged: '✅ unchanged',
  matches: '✅ as expected',
  read: '✅ read',
  drift: '❌ drift',
  failed: '❌ failed',
};

function onOffOrDash(value: boolean | null): string {
  return value === null ? '–' : onOff(value);
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The job summary: a row per zone, the failures with their codes, and the run it came from. */
export async function writeSummary(
  results: ZoneResult[],
  settings: Settings,
  redact: (text: string) => string,
): Promise<void> {
  const failures = results.filter((result) => result.error !== null);
  const cell = (text: string): string => escape(redact(text));
  const heading =
    failures.length === 0
      ? `Auto-Origin TLS KEX (${settings.mode}): ${results.length === 1 ? 'done' : `all ${results.length} zones done`}`
      : `Auto-Origin TLS KEX (${settings.mode}): ${failures.length} of ${results.length} ${results.length === 1 ? 'zone' : 'zones'} failed`;
  core.summary.addHeading(escape(heading), 3).addTable([
    [
      { data: 'Zone', header: true },
      { data: 'Before', header: true },
      { data: settings.mode === 'check' ? 'Expected' : 'Requested', header: true },
      { data: 'After', header: true },
      { data: 'modified_on', header: true },
      { data: 'Outcome', header: true },
    ],
    ...results.map((result) => [
      cell(describeZone(result)),
      // core.summary drops a cell whose data is empty, so unknown values show as a dash.
      // A read changes nothing: the state read is the state before, too.
      onOffOrDash(result.outcome === 'read' ? result.enabled : result.previousEnabled),
      onOffOrDash(result.requested),
      onOffOrDash(result.enabled),
      cell(result.modifiedOn ?? '–'),
      OUTCOME[result.outcome],
    ]),
  ]);
  if (failures.length > 0) {
    core.summary.addHeading('Failures', 4).addList(
      failures.map((result) => {
        const codes =
          result.codes.length > 0 ? ` <em>(Cloudflare codes ${result.codes.join(', ')})</em>` : '';
        return `<strong>${cell(describeZone(result))}</strong>: ${cell(result.error ?? '')}${codes}`;
      }),
    );
  }
  const run = runLink();
  if (run !== undefined) core.summary.addRaw(`<sub>${run}</sub>`, true);
  await core.summary.write();
}

function runLink(): string | undefined {
  const run = runContext();
  if (run === undefined) return undefined;
  const parts = [run.repository, run.eventName, run.sha.slice(0, 7)].filter((part) => part !== '');
  return `${parts.map(escape).join(' · ')} · <a href="${escape(run.runUrl)}">run ${escape(run.runId)}</a>`;
}
