import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readActionYml } from '../stand-in/runner.mjs';
import { type DocFile, checkDocs, usesThisAction, yamlBlocks } from './harness/docs-check.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const action = readActionYml();

/** README.md, every .md under docs/, and every file under docs/examples/. */
function documentation(): DocFile[] {
  const read = (path: string): DocFile => ({
    path: relative(REPO, path),
    text: readFileSync(path, 'utf8'),
  });
  const files = [read(join(REPO, 'README.md'))];
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md') || relative(REPO, path).startsWith('docs/examples/'))
        files.push(read(path));
    }
  };
  walk(join(REPO, 'docs'));
  return files;
}

const md = (yaml: string): DocFile => ({ path: 'FIXTURE.md', text: `# Fixture\n\n${yaml}` });
const fence = (yaml: string): string => `\`\`\`yaml\n${yaml.trim()}\n\`\`\`\n`;
const step = (withLines: string, id = 'kex'): string =>
  `- id: ${id}\n  uses: octo/auto-origin-tls-kex-action@v1\n  with:\n${withLines}`;

describe('the docs checker (a test of the test)', () => {
  it('reports an input that action.yml does not declare, with its line', () => {
    const report = checkDocs(
      [md(fence(step('    zone-id: abc\n    enabled: true\n    token: x')))],
      action,
    );

    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]).toMatch(/^FIXTURE\.md:7: input "zone-id" is not declared/);
  });

  it('reports a misspelled output, dotted or bracketed', () => {
    const yaml = [
      step('    zone_id: abc\n    enabled: true'),
      `- run: echo "\${{ steps.kex.outputs.enable }}"`,
      `- if: steps.kex.outputs['modified-on'] != ''`,
      `  run: echo "\${{ steps.kex.outputs.enabled }} \${{ steps.other.outputs.whatever }}"`,
    ].join('\n');
    const report = checkDocs([md(fence(yaml))], action);

    expect(report.problems).toEqual([
      expect.stringMatching(/^FIXTURE\.md:9: steps\.kex\.outputs\.enable is not an output/),
      expect.stringMatching(/^FIXTURE\.md:10: steps\.kex\.outputs\.modified-on is not an output/),
    ]);
    expect(report.outputReads).toBe(3);
  });

  it('reports YAML that does not parse, in Markdown and in a workflow file', () => {
    const report = checkDocs(
      [
        md(fence('steps:\n  - uses: ./\n     with: [')),
        { path: 'docs/examples/broken.yml', text: 'on: push\njobs: {a: [\n' },
      ],
      action,
    );

    expect(report.problems.some((p) => /^FIXTURE\.md:\d+: YAML does not parse/.test(p))).toBe(true);
    expect(
      report.problems.some((p) => /^docs\/examples\/broken\.yml:\d+: YAML does not parse/.test(p)),
    ).toBe(true);
  });

  it('reports a required input that a step omits', () => {
    const strict = { inputs: { ...action.inputs, zone_id: { required: true } }, outputs: [] };
    const report = checkDocs([md(fence(step('    zone_name: example.com')))], strict);

    expect(report.problems).toEqual([
      expect.stringMatching(/^FIXTURE\.md:4: required input "zone_id" is missing/),
    ]);
  });

  it('checks this action under any owner or ref and as ./, and no other action', () => {
    expect(usesThisAction('octo/auto-origin-tls-kex-action@v1')).toBe(true);
    expect(
      usesThisAction('octo/auto-origin-tls-kex-action@0123456789abcdef0123456789abcdef01234567'),
    ).toBe(true);
    expect(usesThisAction('./')).toBe(true);
    expect(usesThisAction('actions/checkout@v5')).toBe(false);
    expect(usesThisAction('octo/auto-origin-tls-kex-action-fork@v1')).toBe(false);

    const other = '- uses: actions/checkout@v5\n  with:\n    fetch-depth: 0';
    const local = '- uses: ./\n  with:\n    zone: abc';
    const report = checkDocs([md(fence(`${other}\n${local}`))], action);

    expect(report.actionSteps).toBe(1);
    expect(report.problems).toEqual([expect.stringMatching(/input "zone" is not declared/)]);
  });

  it('takes yaml and yml fences, also indented in a list, and skips other languages', () => {
    const text = [
      '```sh',
      'echo "- uses: ./"',
      '```',
      '1. Step:',
      '   ```yml',
      '   - uses: ./',
      '     with:',
      '       enabled: true',
      '   ```',
    ].join('\n');

    expect(yamlBlocks(text)).toEqual([{ line: 6, text: '- uses: ./\n  with:\n    enabled: true' }]);
  });

  it('finds nothing wrong in a correct step', () => {
    const yaml = `${step('    zone_id: abc\n    enabled: true')}\n- run: echo "\${{ steps.kex.outputs.results }}"`;

    expect(checkDocs([md(fence(yaml))], action).problems).toEqual([]);
  });
});

describe('README.md and docs/', () => {
  const files = documentation();
  const report = checkDocs(files, action);

  it('hold YAML that parses, and steps that use only inputs and outputs action.yml declares', () => {
    expect(report.problems).toEqual([]);
  });

  it('are really checked: the README and every example workflow use the action', () => {
    const examples = files.filter((file) => file.path.startsWith('docs/examples/'));
    expect(examples.map((file) => file.path)).toEqual(
      expect.arrayContaining([
        'docs/examples/deploy.yml',
        'docs/examples/fleet.yml',
        'docs/examples/release-gate.yml',
      ]),
    );
    const unused = [...examples, ...files.filter((file) => file.path === 'README.md')]
      .filter((file) => checkDocs([file], action).actionSteps === 0)
      .map((file) => file.path);

    expect(unused).toEqual([]);
    expect(report.outputReads).toBeGreaterThan(0);
  });
});
