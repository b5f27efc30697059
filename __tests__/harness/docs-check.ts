import { LineCounter, type Node, isMap, isScalar, parseAllDocuments, visit } from 'yaml';

/** What action.yml declares, as readActionYml() returns it. */
export interface ActionSpec {
  inputs: Record<string, { required?: boolean; default?: string }>;
  outputs: string[];
}

/** A documentation file: Markdown is checked block by block, anything else as one YAML file. */
export interface DocFile {
  path: string;
  text: string;
}

export interface DocsReport {
  /** One line per problem, `path:line: what is wrong`. */
  problems: string[];
  /** YAML blocks or files parsed. */
  blocks: number;
  /** Steps found that use this action. */
  actionSteps: number;
  /** Reads of this action's outputs found and checked. */
  outputReads: number;
}

// Any owner and ref (`octo/auto-origin-tls-kex-action@v1`, `...@<sha>`), or the repository itself.
const THIS_ACTION = /^(?:[^/\s]+\/)?auto-origin-tls-kex-action(?:@\S+)?$/;
const OUTPUT_READ =
  /\bsteps\.([A-Za-z_][\w-]*)\.outputs(?:\.([A-Za-z_][\w-]*)|\[\s*(['"])([^'"]*)\3\s*\])/g;

export function usesThisAction(uses: unknown): boolean {
  return typeof uses === 'string' && (uses.trim() === './' || THIS_ACTION.test(uses.trim()));
}

/** Every ```yaml / ```yml fenced block of a Markdown text, with the line its content starts on. */
export function yamlBlocks(markdown: string): { line: number; text: string }[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: { line: number; text: string }[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/.exec(lines[i] ?? '');
    if (!open) continue;
    const [, indent = '', fence = '', info = ''] = open;
    const closing = new RegExp(`^\\s*${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    let end = i + 1;
    while (end < lines.length && !closing.test(lines[end] ?? '')) end += 1;
    if (/^ya?ml$/i.test(info)) {
      const body = lines
        .slice(i + 1, end)
        .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line.trimStart()));
      blocks.push({ line: i + 2, text: body.join('\n') });
    }
    i = end;
  }
  return blocks;
}

/** Parses every YAML block and checks each step that uses this action against action.yml. */
export function checkDocs(files: readonly DocFile[], action: ActionSpec): DocsReport {
  const report: DocsReport = { problems: [], blocks: 0, actionSteps: 0, outputReads: 0 };
  for (const file of files) {
    const blocks = file.path.endsWith('.md')
      ? yamlBlocks(file.text)
      : [{ line: 1, text: file.text }];
    for (const block of blocks) {
      report.blocks += 1;
      checkBlock(file.path, block, action, report);
    }
  }
  return report;
}

function checkBlock(
  path: string,
  block: { line: number; text: string },
  action: ActionSpec,
  report: DocsReport,
): void {
  const counter = new LineCounter();
  const lineOf = (node: Node | null | undefined): number =>
    block.line - 1 + counter.linePos(node?.range?.[0] ?? 0).line;
  const problem = (line: number, message: string): void => {
    report.problems.push(`${path}:${line}: ${message}`);
  };

  for (const doc of parseAllDocuments(block.text, { lineCounter: counter })) {
    const [error] = doc.errors;
    if (error !== undefined) {
      // The first error only: the rest of a broken document mostly repeats it.
      const more = doc.errors.length > 1 ? ` (and ${doc.errors.length - 1} more)` : '';
      const line = block.line - 1 + (error.linePos?.[0].line ?? 1);
      problem(line, `YAML does not parse: ${error.message.split('\n')[0] ?? ''}${more}`);
      continue;
    }

    const stepIds = new Set<string>();
    visit(doc, {
      Map(_key, map) {
        const uses = map.get('uses');
        if (!usesThisAction(uses)) return;
        report.actionSteps += 1;
        const id = map.get('id');
        if (typeof id === 'string') stepIds.add(id);

        const withNode = map.get('with', true);
        const given = new Set<string>();
        if (withNode !== undefined && withNode !== null && !isMap(withNode)) {
          problem(lineOf(withNode), `with: of ${String(uses)} is not a mapping`);
        } else if (isMap(withNode)) {
          for (const pair of withNode.items) {
            const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
            given.add(name);
            if (!(name in action.inputs))
              problem(
                lineOf(pair.key as Node),
                `input "${name}" is not declared in action.yml (inputs: ${Object.keys(action.inputs).join(', ')})`,
              );
          }
        }
        for (const [name, spec] of Object.entries(action.inputs)) {
          if (spec.required === true && !given.has(name))
            problem(lineOf(map), `required input "${name}" is missing`);
        }
      },
    });

    visit(doc, {
      Scalar(_key, scalar) {
        if (typeof scalar.value !== 'string') return;
        for (const match of scalar.value.matchAll(OUTPUT_READ)) {
          const [, id = '', dotted, , bracketed] = match;
          if (!stepIds.has(id)) continue;
          report.outputReads += 1;
          const name = dotted ?? bracketed ?? '';
          if (!action.outputs.includes(name))
            problem(
              lineOf(scalar),
              `steps.${id}.outputs.${name} is not an output in action.yml (outputs: ${action.outputs.join(', ')})`,
            );
        }
      },
    });
  }
}
