import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_ZONE_ID, startStandIn } from '../stand-in/cloudflare.mjs';
import { formatLog, readActionYml, runAction, runtimes } from '../stand-in/runner.mjs';

const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));
if (!existsSync(entry)) {
  console.log('dist/index.js does not exist yet: run npm run build first.');
  process.exit(1);
}

const names = Object.keys(readActionYml().inputs);
/** @type {Record<string, string | undefined>} */
let overrides;
try {
  const options = Object.fromEntries(
    names.map((name) => [name, { type: /** @type {const} */ ('string') }]),
  );
  overrides = parseArgs({ options, strict: true }).values;
} catch (error) {
  console.log(error instanceof Error ? error.message : String(error));
  console.log(`Usage: npm run demo -- [--<input> <value>]... (inputs: ${names.join(', ')})`);
  process.exit(2);
}

// An api_url of your own (the real API, or a stand-in you started): no embedded stand-in, no demo
// zone, no demo token.
const live = overrides['api_url'] !== undefined;
const standIn = live ? undefined : await startStandIn();
/** @type {Record<string, string | undefined>} */
const inputs = standIn
  ? {
      zone_id: DEFAULT_ZONE_ID,
      // Mode read takes no enabled; the runner would not invent one either.
      enabled: overrides['mode'] === 'read' ? undefined : 'true',
      token: standIn.token,
      api_url: standIn.url,
      ...overrides,
    }
  : { token: process.env['CLOUDFLARE_API_TOKEN'] || undefined, ...overrides };
// Asking for a zone by name or for the legacy key means the demo's default ID or token would get in the way.
if (overrides['zone_name'] !== undefined && overrides['zone_id'] === undefined)
  delete inputs['zone_id'];
if (
  (overrides['api_email'] ?? overrides['api_key']) !== undefined &&
  overrides['token'] === undefined
) {
  delete inputs['token'];
}
const secrets = [inputs['token'], inputs['api_key']].filter((value) => value !== undefined);
/** @param {string} text */
const indent = (text) => text.replace(/^(?=.)/gm, '  ');

// GitHub runs node24 actions on Node 24: use it where installed, else the machine's Node.
const node = runtimes().find((runtime) => runtime.name === 'node24') ?? runtimes()[0];
if (!node) throw new Error('no Node runtime found');
console.log(
  standIn
    ? `Running dist/index.js on Node ${node.version} against a Cloudflare stand-in at ${standIn.url}`
    : `Running dist/index.js on Node ${node.version} against ${inputs['api_url']}`,
);
console.log('Inputs:');
for (const [name, value] of Object.entries(inputs)) {
  if (value !== undefined) console.log(`  ${name}=${secrets.includes(value) ? '***' : value}`);
}

// Against the real API the runner's proxy and CA settings matter, as they would on a runner.
const passed = /^(https?_proxy|no_proxy|node_extra_ca_certs)$/i;
const env = standIn
  ? {}
  : Object.fromEntries(Object.entries(process.env).filter(([name]) => passed.test(name)));
const result = await runAction({ inputs, env, node: node.path, entry });
await standIn?.close();

console.log('\nStep log:');
console.log(indent(formatLog(result.stdout, { secrets, debug: process.env.RUNNER_DEBUG === '1' })));
if (result.stderr.trim() !== '') {
  console.log('\nStep stderr:');
  console.log(indent(formatLog(result.stderr, { secrets })));
}
if (standIn) {
  console.log('\nCloudflare stand-in received:');
  for (const request of standIn.requests) {
    const query = request.query.toString();
    const body = request.body === '' ? '' : ` ${request.body}`;
    console.log(`  ${request.method} ${request.path}${query === '' ? '' : `?${query}`}${body}`);
  }
  if (standIn.requests.length === 0) console.log('  (nothing)');
}
console.log('\nOutputs:');
for (const [name, value] of Object.entries(result.outputs)) console.log(indent(`${name}=${value}`));
if (result.summary) {
  console.log('\nJob summary:');
  console.log(indent(result.summary.trimEnd()));
}
const outcome = result.signal ? `killed by ${result.signal}` : String(result.code);
console.log(`\nExit code: ${outcome} (${Math.round(result.durationMs)} ms)`);
process.exitCode = result.code ?? 1;
