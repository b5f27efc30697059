import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  copyFileSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_ZONE_ID, startStandIn } from '../stand-in/cloudflare.mjs';
import { runAction } from '../stand-in/runner.mjs';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const ENTRY = 'A change for the release test.';

// Git and npm in the clones see neither the user's git config nor the outer npm run's settings.
const env: NodeJS.ProcessEnv = {
  ...Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) =>
        !/^(GIT_(DIR|WORK_TREE|INDEX_FILE)|npm_(config|package|lifecycle)_\w*|INIT_CWD)$/.test(
          name,
        ),
    ),
  ),
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
};

let root = '';
let template = '';
let clones = 0;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();
}

function npmRun(cwd: string, script: string): void {
  execFileSync('npm', ['run', script], { cwd, env, stdio: 'ignore' });
}

/** Clones and sets up a repository beside the others, so each sees node_modules at the same relative path. */
function clone(from: string): string {
  clones += 1;
  const dir = join(root, `repo-${clones}`);
  execFileSync('git', ['clone', '--quiet', from, dir], { env });
  git(dir, 'remote', 'remove', 'origin');
  for (const [key, value] of [
    ['user.name', 'Release Test'],
    ['user.email', 'release-test@example.com'],
    ['commit.gpgsign', 'false'],
    ['tag.gpgsign', 'false'],
  ] as const)
    git(dir, 'config', key, value);
  symlinkSync(realpathSync(join(REPO, 'node_modules')), join(dir, 'node_modules'), 'dir');
  // .gitignore's node_modules/ matches directories only, not this symlink.
  appendFileSync(join(dir, '.git', 'info', 'exclude'), '/node_modules\n');
  return dir;
}

function release(cwd: string, ...args: string[]) {
  const result = spawnSync(process.execPath, ['script/release.mjs', ...args], {
    cwd,
    env,
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function tags(cwd: string): string[] {
  return git(cwd, 'tag', '--list').split('\n').filter(Boolean);
}

function version(cwd: string, file = 'package.json'): unknown {
  return (JSON.parse(readFileSync(join(cwd, file), 'utf8')) as { version: unknown }).version;
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'release-test-')));
  template = clone(REPO);
  // CI checks pull requests out on a detached HEAD; a release needs a branch.
  git(template, 'checkout', '--quiet', '-B', 'main');
  // The files under test, committed or not, and something to release.
  copyFileSync(join(REPO, 'script', 'release.mjs'), join(template, 'script', 'release.mjs'));
  const changelog = readFileSync(join(REPO, 'CHANGELOG.md'), 'utf8');
  writeFileSync(
    join(template, 'CHANGELOG.md'),
    changelog.replace('## [Unreleased]\n', `## [Unreleased]\n\n### Fixed\n\n- ${ENTRY}\n`),
  );
  // ncc's module ids follow the path to node_modules, which the symlink changes: commit this clone's build.
  npmRun(template, 'build');
  git(template, 'add', '--all');
  git(template, 'commit', '--quiet', '--allow-empty', '--message', 'Set up the release test');
}, 60_000);

afterAll(() => {
  if (root !== '') rmSync(root, { recursive: true, force: true });
});

describe('npm run release', () => {
  it('releases 1.0.1 from a clean tree: bumped, rebuilt, dated, committed, tagged v1.0.1 and v1', async () => {
    const dir = clone(template);
    const branch = git(dir, 'symbolic-ref', '--short', 'HEAD');
    const before = git(dir, 'rev-parse', 'HEAD');
    const dayBefore = today();

    const result = release(dir, '1.0.1', '--skip-tests');

    expect(result).toMatchObject({ code: 0 });
    const head = git(dir, 'rev-parse', 'HEAD');
    expect(git(dir, 'rev-parse', 'HEAD~1')).toBe(before);
    expect(git(dir, 'log', '-1', '--format=%s')).toBe('Release v1.0.1');
    expect(tags(dir)).toEqual(['v1', 'v1.0.1']);
    expect(git(dir, 'cat-file', '-t', 'v1.0.1')).toBe('tag');
    expect(git(dir, 'rev-parse', 'v1.0.1^{commit}')).toBe(head);
    expect(git(dir, 'rev-parse', 'v1^{commit}')).toBe(head);
    expect(git(dir, 'status', '--porcelain', '--untracked-files=all')).toBe('');
    expect(git(dir, 'diff', '--name-only', 'HEAD~1', 'HEAD').split('\n')).toEqual(
      expect.arrayContaining([
        'CHANGELOG.md',
        'dist/index.js',
        'package-lock.json',
        'package.json',
        'src/version.ts',
      ]),
    );

    expect(version(dir)).toBe('1.0.1');
    expect(version(dir, 'package-lock.json')).toBe('1.0.1');
    expect(readFileSync(join(dir, 'dist', 'index.js'), 'utf8')).toContain(
      "const VERSION = '1.0.1';",
    );
    const cf = await startStandIn();
    try {
      const run = await runAction({
        entry: join(dir, 'dist', 'index.js'),
        actionYml: join(dir, 'action.yml'),
        inputs: { zone_id: DEFAULT_ZONE_ID, enabled: 'true', token: cf.token, api_url: cf.url },
      });
      expect(run.code).toBe(0);
      expect(cf.requests.map((request) => request.headers['user-agent'])).toEqual([
        'auto-origin-tls-kex-action/1.0.1',
      ]);
    } finally {
      await cf.close();
    }

    const changelog = readFileSync(join(dir, 'CHANGELOG.md'), 'utf8');
    const dated = [dayBefore, today()].map(
      (day) => `## [Unreleased]\n\n## [1.0.1] - ${day}\n\n### Fixed\n\n- ${ENTRY}\n\n## [1.0.0]`,
    );
    expect(dated.some((text) => changelog.includes(text))).toBe(true);
    expect(() =>
      execFileSync(
        process.execPath,
        [join(REPO, 'node_modules', 'prettier', 'bin', 'prettier.cjs'), '--check', 'CHANGELOG.md'],
        { cwd: dir, env, stdio: 'ignore' },
      ),
    ).not.toThrow();

    expect(result.stdout).toContain(`git push origin ${branch}\n`);
    expect(result.stdout).toContain('git push origin refs/tags/v1.0.1\n');
    expect(result.stdout).toContain('git push --force origin refs/tags/v1\n');
  }, 90_000);

  it.each([
    ['an untracked file', (dir: string) => writeFileSync(join(dir, 'notes.txt'), 'draft\n')],
    ['an unstaged change', (dir: string) => appendFileSync(join(dir, 'action.yml'), '# draft\n')],
    [
      'a staged change',
      (dir: string) => {
        appendFileSync(join(dir, 'action.yml'), '# draft\n');
        git(dir, 'add', 'action.yml');
      },
    ],
  ])(
    'refuses a tree with %s, creating no tag',
    (_kind, dirty) => {
      const dir = clone(template);
      const before = git(dir, 'rev-parse', 'HEAD');
      dirty(dir);

      const result = release(dir, '1.0.1', '--skip-tests');

      expect(result.code).not.toBe(0);
      expect(result.stderr.trim()).toMatch(
        /^release: the working tree is not clean \(1 staged, unstaged or untracked path\(s\)\): commit or stash them first$/,
      );
      expect(tags(dir)).toEqual([]);
      expect(git(dir, 'rev-parse', 'HEAD')).toBe(before);
      expect(version(dir)).toBe('1.0.0');
    },
    20_000,
  );

  it('refuses when dist/ is stale, restoring dist/ and creating no tag', () => {
    const dir = clone(template);
    appendFileSync(
      join(dir, 'src', 'index.ts'),
      "console.debug('release test: a source change that dist/ does not have');\n",
    );
    git(dir, 'commit', '--quiet', '--all', '--message', 'Change a source without a build');
    const before = git(dir, 'rev-parse', 'HEAD');

    const result = release(dir, '1.0.1', '--skip-tests');

    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(
      /^release: dist\/ is stale: run npm run build, commit dist\/, then release$/m,
    );
    expect(tags(dir)).toEqual([]);
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(before);
    expect(git(dir, 'status', '--porcelain', '--untracked-files=all')).toBe('');
  }, 60_000);

  it.each(['1.0.0', '0.9.9', '1.0.0-rc.1'])(
    'refuses %s, which is not greater than the current 1.0.0',
    (requested) => {
      const dir = clone(template);

      const result = release(dir, requested, '--skip-tests');

      expect(result.code).not.toBe(0);
      expect(result.stderr.trim()).toBe(
        `release: ${requested} is not greater than the current version 1.0.0`,
      );
      expect(tags(dir)).toEqual([]);
      expect(version(dir)).toBe('1.0.0');
    },
    20_000,
  );

  it.each([
    ['1.1', 'release: "1.1" is not a version X.Y.Z or X.Y.Z-prerelease'],
    ['01.1.0', 'release: "01.1.0" is not a version X.Y.Z or X.Y.Z-prerelease'],
    ['1.1.0+build.5', 'release: "1.1.0+build.5" is not a version X.Y.Z or X.Y.Z-prerelease'],
    [
      'v1.1.0',
      'release: "v1.1.0" is not a version X.Y.Z or X.Y.Z-prerelease (leave out the leading v)',
    ],
  ])(
    'refuses the malformed version %s',
    (requested, message) => {
      const dir = clone(template);

      const result = release(dir, requested, '--skip-tests');

      expect(result.code).not.toBe(0);
      expect(result.stderr.trim()).toBe(message);
      expect(tags(dir)).toEqual([]);
    },
    20_000,
  );

  it('refuses without a version, or with an unknown option', () => {
    const dir = clone(template);

    const none = release(dir);
    const unknown = release(dir, '1.0.1', '--no-verify');

    expect(none.code).not.toBe(0);
    expect(none.stderr.trim()).toMatch(/^release: usage: npm run release -- <X\.Y\.Z/);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr.trim()).toMatch(/^release: unknown option --no-verify; usage:/);
  }, 20_000);

  it('refuses a detached HEAD', () => {
    const dir = clone(template);
    git(dir, 'checkout', '--quiet', '--detach');

    const result = release(dir, '1.0.1', '--skip-tests');

    expect(result.code).not.toBe(0);
    expect(result.stderr.trim()).toBe(
      'release: HEAD is detached: check out the branch to release from',
    );
    expect(tags(dir)).toEqual([]);
  }, 20_000);
});
