/** A failure the user can act on: `message` is the one line shown; `detail` goes to debug only. */
export class StepError extends Error {
  readonly codes: number[];
  readonly detail: string | undefined;

  constructor(
    message: string,
    options: { codes?: number[]; detail?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'StepError';
    this.codes = options.codes ?? [];
    this.detail = options.detail;
  }
}

/** Input problems, all found before any request is made. */
export class InputError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(problems.join('; '));
    this.name = 'InputError';
    this.problems = problems;
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
