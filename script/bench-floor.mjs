// The floor for `npm run bench`: what the step cannot beat on the same Node. One PATCH with the
// built-in fetch, one output line appended to GITHUB_OUTPUT, nothing else.
import { appendFileSync } from 'node:fs';

const { INPUT_API_URL, INPUT_ZONE_ID, INPUT_TOKEN, INPUT_ENABLED, GITHUB_OUTPUT } = process.env;
const response = await fetch(
  `${INPUT_API_URL}/zones/${INPUT_ZONE_ID}/settings/auto_origin_tls_kex`,
  {
    method: 'PATCH',
    headers: { authorization: `Bearer ${INPUT_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ enabled: INPUT_ENABLED === 'true' }),
  },
);
const answer = /** @type {{ success?: unknown, result?: { enabled?: unknown } }} */ (
  await response.json()
);
if (!response.ok || answer.success !== true || GITHUB_OUTPUT === undefined) {
  console.log(`floor: HTTP ${response.status}, success ${String(answer.success)}`);
  process.exit(1);
}
appendFileSync(GITHUB_OUTPUT, `enabled=${String(answer.result?.enabled)}\n`);
