/** A failure the user can act on: `message` is the one line shown. */
export class StepError extends Error {
  /** Cloudflare's error codes, for the summary. */
  readonly codes: number[];
  /** Cloudflare's `messages` that came with the failure, shown as notices. */
  readonly notices: string[];

  constructor(message: string, options: { codes?: number[]; notices?: string[] } = {}) {
    super(message);
    this.name = 'StepError';
    this.codes = options.codes ?? [];
    this.notices = options.notices ?? [];
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
