import { StepError } from '../errors.js';
import { type Headers, headerValue } from './headers.js';
import { hintFor } from './hints.js';

/** An HTTP answer read whole (within the size limit). */
export interface Answer {
  status: number;
  headers: Headers;
  body: string;
}

export interface CloudflareMessage {
  code: number;
  message: string;
  documentationUrl?: string;
  chain: { code: number; message: string }[];
}

/** Cloudflare's common answer shape, validated. `result` stays unknown until its endpoint checks it. */
export interface Envelope {
  success: boolean;
  errors: CloudflareMessage[];
  messages: CloudflareMessage[];
  result: unknown;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'bad request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not found',
  405: 'method not allowed',
  415: 'unsupported media type',
  429: 'rate limited',
  500: 'internal server error',
  502: 'bad gateway',
  503: 'service unavailable',
  504: 'gateway timeout',
};

function statusLine(answer: Answer, attempts: number): string {
  const text =
    STATUS_TEXT[answer.status] ??
    (answer.status >= 520 && answer.status <= 527 ? 'Cloudflare origin error' : undefined);
  const after = attempts > 1 ? ` after ${attempts} attempts` : '';
  return `HTTP ${answer.status}${text ? ` ${text}` : ''}${after}`;
}

function rayOf(answer: Answer): string {
  const ray = headerValue(answer.headers, 'cf-ray');
  return ray ? ` (cf-ray ${ray})` : '';
}

function toMessages(value: unknown): CloudflareMessage[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown): CloudflareMessage[] => {
    if (typeof item !== 'object' || item === null) return [];
    const entry = item as Record<string, unknown>;
    const chain = Array.isArray(entry.error_chain)
      ? entry.error_chain.flatMap((link: unknown) => {
          const l = (typeof link === 'object' && link !== null ? link : {}) as Record<
            string,
            unknown
          >;
          return typeof l.code === 'number' || typeof l.message === 'string'
            ? [{ code: Number(l.code), message: oneLine(String(l.message ?? ''), 200) }]
            : [];
        })
      : [];
    return [
      {
        code: typeof entry.code === 'number' ? entry.code : Number.NaN,
        message: typeof entry.message === 'string' ? oneLine(entry.message, 300) : '',
        documentationUrl:
          typeof entry.documentation_url === 'string'
            ? oneLine(entry.documentation_url, 200)
            : undefined,
        chain,
      },
    ];
  });
}

export function formatMessage(message: CloudflareMessage): string {
  const code = Number.isNaN(message.code) ? '' : `${message.code} `;
  const chain =
    message.chain.length > 0
      ? ` (${message.chain.map((link) => `${link.code} ${link.message}`).join('; ')})`
      : '';
  const docs = message.documentationUrl ? ` [docs: ${message.documentationUrl}]` : '';
  return `${code}${message.message}${chain}${docs}`.trim();
}

/** Server text made safe for one log line: no line breaks or control bytes, and not too long. */
export function oneLine(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex -- control bytes are exactly what must not reach the log
  const flat = text.replace(/[\s\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function snippet(body: string): string {
  return oneLine(body, 200);
}

/** Parses and checks Cloudflare's answer shape; any other body is one clear failure naming what came back. */
export function parseEnvelope(answer: Answer, attempts = 1): Envelope {
  const where = `${statusLine(answer, attempts)} from Cloudflare`;
  const contentType = headerValue(answer.headers, 'content-type') ?? 'no content type';
  if (answer.status >= 300 && answer.status <= 399) {
    const location = headerValue(answer.headers, 'location');
    throw new StepError(
      `${where}: a redirect${location ? ` to ${oneLine(location, 200)}` : ''}, which the API never sends: check api_url`,
    );
  }
  const encoding = headerValue(answer.headers, 'content-encoding') ?? 'identity';
  if (encoding.toLowerCase() !== 'identity') {
    throw new StepError(
      `${where}: the body was compressed (content-encoding: ${oneLine(encoding, 40)}), which the action did not ask for${rayOf(answer)}. A proxy may be rewriting the answer: check HTTPS_PROXY`,
    );
  }
  if (answer.body.trim() === '') {
    throw new StepError(
      `${where}: the body was empty (${contentType})${rayOf(answer)}${hintSuffix(answer.status, [])}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(answer.body.replace(/^\uFEFF/, ''));
  } catch {
    const truncated = /^\s*[[{]/.test(answer.body) ? 'truncated or invalid JSON' : 'not JSON';
    // A page in place of the API's JSON on 401/403 is a block page, not a verdict on the token.
    const todo =
      answer.status === 401 || answer.status === 403
        ? ". A page instead of the API's JSON is a firewall, IP access rule or proxy blocking the runner: check api_url and the runner's network"
        : hintSuffix(answer.status, []);
    throw new StepError(
      `${where}: the body was ${truncated} (${contentType}): "${snippet(answer.body)}"${rayOf(answer)}${todo}`,
    );
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new StepError(
      `${where}: the body was JSON but not an object: "${snippet(answer.body)}"${rayOf(answer)}`,
    );
  }
  const record = json as Record<string, unknown>;
  if (typeof record.success !== 'boolean') {
    throw new StepError(
      `${where}: the answer has no boolean "success" field: "${snippet(answer.body)}"${rayOf(answer)}`,
    );
  }
  return {
    success: record.success,
    errors: toMessages(record.errors),
    messages: toMessages(record.messages),
    result: record.result,
  };
}

function hintSuffix(status: number, codes: number[]): string {
  const hint = hintFor(status, codes);
  return hint ? `. ${hint[0]?.toUpperCase()}${hint.slice(1)}` : '';
}

/** The one-line failure for an answer that is not a success: status, every code and message, cf-ray, what to do. */
export function failure(
  answer: Answer,
  envelope: Envelope,
  attempts = 1,
  hint?: string,
): StepError {
  const codes = envelope.errors
    .flatMap((error) => [error.code, ...error.chain.map((link) => link.code)])
    .filter((code) => !Number.isNaN(code));
  const said =
    envelope.errors.length > 0
      ? envelope.errors.map(formatMessage).join('; ')
      : `success was ${envelope.success} with no errors listed, so nothing says why`;
  const todo = hint ? `. ${hint}` : hintSuffix(answer.status, codes);
  return new StepError(
    `${statusLine(answer, attempts)} from Cloudflare: ${said}${rayOf(answer)}${todo}`,
    { codes, notices: envelope.messages.map(formatMessage) },
  );
}

/** A success answer whose `result` is not what the endpoint promises. */
export function badResult(answer: Answer, what: string): StepError {
  return new StepError(
    `HTTP ${answer.status} from Cloudflare: success was true but ${what}: "${snippet(answer.body)}"${rayOf(answer)}`,
  );
}
