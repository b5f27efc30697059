import { StepError } from '../errors.js';
import type { Answer } from './envelope.js';
import type { Dispatcher } from './undici.js';

/** Bodies larger than this are not Cloudflare's answer for one setting: stop reading and fail. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface Attempt {
  url: string;
  method: 'GET' | 'PATCH';
  headers: Record<string, string>;
  body?: string;
  dispatcher: Dispatcher;
  /** The zone's deadline: ends the attempt wherever it is. */
  signal: AbortSignal;
  /** Called as the attempt moves on, for the timeout message. */
  onPhase: (phase: 'headers' | 'body') => void;
}

/** Sends one request and reads the whole answer. Network errors are thrown as they come, for the caller to name. */
export async function send(attempt: Attempt): Promise<Answer> {
  attempt.onPhase('headers');
  const url = new URL(attempt.url);
  const response = await untilAborted(
    attempt.dispatcher.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: attempt.method,
      headers: attempt.headers,
      body: attempt.body,
      signal: attempt.signal,
    }),
    attempt.signal,
  );
  attempt.onPhase('body');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      response.body.destroy();
      throw new StepError(
        `HTTP ${response.statusCode} from Cloudflare: the body was larger than 1 MiB, which no answer for this setting is; stopped reading`,
      );
    }
    chunks.push(chunk as Buffer);
  }
  return {
    status: response.statusCode,
    headers: response.headers,
    body: Buffer.concat(chunks).toString('utf8'),
  };
}

/**
 * undici 6 applies an abort signal only once a request has a connected socket: connecting, the TLS
 * handshake and a proxy's answer to CONNECT would outlive the deadline. Race the signal instead.
 */
function untilAborted(
  pending: Promise<Dispatcher.ResponseData>,
  signal: AbortSignal,
): Promise<Dispatcher.ResponseData> {
  // A response that arrives after the deadline is dropped with its socket.
  pending.then(
    (late) => signal.aborted && late.body.destroy(),
    () => undefined,
  );
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
