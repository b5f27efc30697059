// Cuts a release locally: checks, bumps the version, rebuilds dist/, dates the changelog, commits and
// tags. It never pushes; it prints the push commands instead.
//
// Usage: npm run release -- <X.Y.Z | X.Y.Z-prerelease> [--skip-tests]
//   --skip-tests  skips `npm test`; it exists only for __tests__/release.test.ts, never use it to release.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const USAGE = 'usage: npm run release -- <X.Y.Z | X.Y.Z-prerelease> [--skip-tests]';
const IDENTIFIER = '(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)';
// semver.org's grammar without build metadata (which a tag name should not carry).
const SEMVER = new RegExp(
  `^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-(${IDENTIFIER}(?:\\.${IDENTIFIER})*))?$`,
);
const BUILT = ['dist', 'src/version.ts'];
const RELEASED = ['package.json', 'package-lock.json', 'CHANGELOG.md', ...BUILT];

class Refusal extends Error {}

/**
 * @param {string} message
 * @returns {never}
 */
function refuse(message) {
  throw new Refusal(message);
}

/**
 * @typedef {object} Version
 * @property {string} text
 * @property {number[]} core major, minor, patch
 * @property {string[]} prerelease Empty for a release.
 */

/**
 * @param {string} text
 * @returns {Version | undefined}
 */
function parseVersion(text) {
  const match = SEMVER.exec(text);
  if (!match) return undefined;
  return {
    text,
    core: [Number(match[1]), Number(match[2]), Number(match[3])],
    prerelease: match[4] === undefined ? [] : match[4].split('.'),
  };
}

/**
 * Semver precedence: negative when a < b.
 * @param {Version} a
 * @param {Version} b
 */
function compareVersions(a, b) {
  for (let i = 0; i < 3; i++) {
    const diff = (a.core[i] ?? 0) - (b.core[i] ?? 0);
    if (diff !== 0) return diff;
  }
  // A release ranks above its prereleases.
  if (a.prerelease.length === 0 || b.prerelease.length === 0)
    return b.prerelease.length - a.prerelease.length;
  for (let i = 0; i < Math.min(a.prerelease.length, b.prerelease.length); i++) {
    const x = a.prerelease[i] ?? '';
    const y = b.prerelease[i] ?? '';
    if (x === y) continue;
    const xNumeric = /^\d+$/.test(x);
    const yNumeric = /^\d+$/.test(y);
    if (xNumeric && yNumeric) return Number(x) - Number(y);
    if (xNumeric !== yNumeric) return xNumeric ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return a.prerelease.length - b.prerelease.length;
}

/**
 * @param {string[]} args
 * @returns {string}
 */
function git(...args) {
  return execFileSync('git', args, {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * @param {string[]} args
 * @returns {boolean}
 */
function gitSucceeds(...args) {
  try {
    git(...args);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs npm with its output on our stderr, so stdout carries only the result. Under `npm run`, the
 * npm that started us is used (npm_execpath), with the Node that runs this script.
 * @param {string[]} args
 * @returns {boolean} Whether npm exited with 0.
 */
function npm(...args) {
  const npmCli = process.env['npm_execpath'];
  const [command, commandArgs] =
    npmCli && /^npm-cli\.c?js$/.test(basename(npmCli))
      ? [process.execPath, [npmCli, ...args]]
      : ['npm', args];
  try {
    execFileSync(command, commandArgs, { cwd: ROOT, stdio: ['ignore', 2, 2] });
    return true;
  } catch {
    return false;
  }
}

/**
 * Puts the given paths back as committed and removes what a build added under them.
 * @param {string[]} paths
 */
function restore(paths) {
  const tracked = paths.filter((path) => git('ls-files', '--', path).trim() !== '');
  if (tracked.length > 0) git('checkout', 'HEAD', '--', ...tracked);
  git('clean', '-fdq', '--', ...paths);
}

/**
 * @param {string} changelog
 * @param {Version} next
 * @param {string} date YYYY-MM-DD
 */
function datedChangelog(changelog, next, date) {
  let text = changelog.replace(
    /^## \[Unreleased\][^\n]*$/m,
    `## [Unreleased]\n\n## [${next.text}] - ${date}`,
  );
  // Keep a Changelog's compare links, where the file has them.
  text = text.replace(
    /^\[Unreleased\]:\s*(\S+)\/compare\/(\S+)\.\.\.HEAD[ \t]*$/m,
    (_line, base, from) =>
      `[Unreleased]: ${base}/compare/v${next.text}...HEAD\n` +
      `[${next.text}]: ${base}/compare/${from}...v${next.text}`,
  );
  return text;
}

/**
 * @param {string[]} args
 */
function release(args) {
  const flags = args.filter((arg) => arg.startsWith('-'));
  const positional = args.filter((arg) => !arg.startsWith('-'));
  const unknown = flags.find((flag) => flag !== '--skip-tests');
  if (unknown !== undefined) refuse(`unknown option ${unknown}; ${USAGE}`);
  if (positional.length !== 1) refuse(USAGE);
  const skipTests = flags.includes('--skip-tests');

  const requested = positional[0] ?? '';
  const next = parseVersion(requested);
  if (!next) {
    const hint = /^v\d/.test(requested) ? ' (leave out the leading v)' : '';
    refuse(`"${requested}" is not a version X.Y.Z or X.Y.Z-prerelease${hint}`);
  }
  const packageJson = /** @type {{ version?: unknown }} */ (
    JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
  );
  const current = parseVersion(String(packageJson.version));
  if (!current) refuse(`package.json's version "${String(packageJson.version)}" is not semver`);
  if (compareVersions(next, current) <= 0)
    refuse(`${next.text} is not greater than the current version ${current.text}`);

  const changelogPath = join(ROOT, 'CHANGELOG.md');
  if (!existsSync(changelogPath)) refuse('CHANGELOG.md is missing');
  const changelog = readFileSync(changelogPath, 'utf8');
  const unreleased = changelog.match(/^## \[Unreleased\]/gm) ?? [];
  if (unreleased.length !== 1)
    refuse('CHANGELOG.md needs exactly one "## [Unreleased]" heading to date');
  if (changelog.includes(`## [${next.text}]`))
    refuse(`CHANGELOG.md already has a ${next.text} section`);
  const notes = /^## \[Unreleased\][^\n]*\n([\s\S]*?)(?=^## |^\[|(?![\s\S]))/m.exec(changelog);
  if ((notes?.[1] ?? '').trim() === '')
    console.error(`release: note: CHANGELOG.md lists nothing under [Unreleased]`);

  if (!gitSucceeds('rev-parse', '--is-inside-work-tree')) refuse(`${ROOT} is not a git work tree`);
  let branch = '';
  try {
    branch = git('symbolic-ref', '--quiet', '--short', 'HEAD').trim();
  } catch {
    refuse('HEAD is detached: check out the branch to release from');
  }
  const dirty = git('status', '--porcelain', '--untracked-files=all').split('\n').filter(Boolean);
  if (dirty.length > 0)
    refuse(
      `the working tree is not clean (${dirty.length} staged, unstaged or untracked path(s)): commit or stash them first`,
    );
  const tag = `v${next.text}`;
  if (gitSucceeds('rev-parse', '--quiet', '--verify', `refs/tags/${tag}`))
    refuse(`tag ${tag} already exists`);

  console.error(`release: rebuilding dist/ to check it matches the sources`);
  if (!npm('run', 'build')) {
    restore(BUILT);
    refuse('npm run build failed on the current sources');
  }
  if (git('status', '--porcelain', '--', ...BUILT).trim() !== '') {
    restore(BUILT);
    refuse('dist/ is stale: run npm run build, commit dist/, then release');
  }

  if (skipTests) {
    console.error('release: skipping npm test (--skip-tests is only for the release script test)');
  } else {
    console.error('release: running npm test');
    if (!npm('test')) refuse('npm test failed: fix the tests before releasing');
  }

  try {
    console.error(`release: bumping ${current.text} to ${next.text} and rebuilding dist/`);
    if (!npm('version', next.text, '--no-git-tag-version'))
      refuse(`npm version ${next.text} failed`);
    if (!npm('run', 'build')) refuse(`npm run build failed after the bump to ${next.text}`);
    const date = new Date().toISOString().slice(0, 10);
    writeFileSync(changelogPath, datedChangelog(changelog, next, date));
    git('add', '--all', '--', ...RELEASED.filter((path) => existsSync(join(ROOT, path))));
    git('commit', '--quiet', '--message', `Release ${tag}`);
  } catch (error) {
    restore(RELEASED);
    throw error;
  }

  git('tag', '--annotate', tag, '--message', `Release ${tag}`);
  const major = `v${next.core[0]}`;
  const pushes = [
    `git push ${remoteOf(branch)} ${branch}`,
    `git push ${remoteOf(branch)} refs/tags/${tag}`,
  ];
  if (next.prerelease.length === 0) {
    git('tag', '--force', major, `${tag}^{commit}`);
    pushes.push(`git push --force ${remoteOf(branch)} refs/tags/${major}`);
  } else {
    console.error(`release: ${next.text} is a prerelease, so ${major} stays where it is`);
  }

  const leftOver = git('status', '--porcelain', '--untracked-files=all').trim();
  if (leftOver !== '')
    console.error(`release: note: files changed outside the release:\n${leftOver}`);
  const commit = git('rev-parse', '--short', 'HEAD').trim();
  const moved = next.prerelease.length === 0 ? ` and ${major}` : '';
  console.log(
    `Released ${tag} as ${commit} on ${branch} (tag ${tag}${moved}). Nothing was pushed.`,
  );
  console.log('To publish, run:');
  for (const push of pushes) console.log(`  ${push}`);
}

/**
 * @param {string} branch
 */
function remoteOf(branch) {
  try {
    return git('config', '--get', `branch.${branch}.remote`).trim() || 'origin';
  } catch {
    return 'origin';
  }
}

try {
  release(process.argv.slice(2));
} catch (error) {
  const message = error instanceof Error ? error.message.trim().split('\n')[0] : String(error);
  console.error(error instanceof Refusal ? `release: ${message}` : `release failed: ${message}`);
  process.exitCode = 1;
}
