import * as core from '@actions/core';
import { RateLimitBudget } from './cloudflare/budget.js';
import { CloudflareClient } from './cloudflare/client.js';
import { createConnection } from './cloudflare/dispatcher.js';
import { InputError, StepError, messageOf } from './errors.js';
import { runZones } from './fleet.js';
import { redactor } from './redact.js';
import { logResult, report } from './report.js';
import { readSettings } from './settings.js';

/** The action: inputs, then every zone, then the report. Each failure ends as one clear line. */
export async function run(): Promise<void> {
  // From the raw inputs, so that even an input error never quotes a credential (used or ignored).
  const credentials = ['token', 'api_email', 'api_key'].map((name) => core.getInput(name));
  let redact = redactor(credentials);
  try {
    const { settings, warnings } = readSettings();
    const connection = createConnection(settings.timeoutSeconds);
    for (const secret of connection.secrets) core.setSecret(secret);
    redact = redactor([...credentials, ...connection.secrets]);
    for (const warning of warnings) core.warning(warning);
    if (connection.proxies.length > 0)
      core.info(`Proxy from the environment: ${connection.proxies.join(', ')}`);

    const client = new CloudflareClient({
      apiUrl: settings.apiUrl,
      credentials: settings.credentials,
      maxRetries: settings.maxRetries,
      dispatcher: connection.dispatcher,
      redact,
      budget: new RateLimitBudget((ms, why) =>
        core.info(`Waiting ${Math.ceil(ms / 1000)}s before the next request: ${why}.`),
      ),
    });
    try {
      const results = await runZones(settings, client, (result) => logResult(result, redact));
      await report(results, settings, redact);
    } finally {
      // destroy, not close: a connection stuck past its deadline must not hold the step open.
      await connection.dispatcher.destroy();
    }
  } catch (error) {
    if (error instanceof InputError) {
      for (const problem of error.problems) core.error(redact(problem), { title: 'Invalid input' });
      process.exitCode = core.ExitCode.Failure;
      core.info('No request was made.');
      return;
    }
    core.debug(redact(error instanceof Error ? (error.stack ?? error.message) : String(error)));
    core.setFailed(
      redact(
        error instanceof StepError
          ? error.message
          : `unexpected error: ${messageOf(error)}. Please report this as a bug`,
      ),
    );
  }
}
