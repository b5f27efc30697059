import * as core from '@actions/core';
import { setTimeout as sleep } from 'node:timers/promises';
import { joinUrl } from '../api-url.js';
import { type Credentials, authHeaders } from '../credentials.js';
import { StepError } from '../errors.js';
import { VERSION } from '../version.js';
import { type Allowance, BudgetWaitTooLong, type RateLimitBudget } from './budget.js';
import { describeCauses } from './causes.js';
import type { Deadline } from './deadline.js';
import type { Answer } from './envelope.js';
import { headerValue } from './headers.js';
import { send } from './http.js';
import { backoffMs, isRetryableCode, isRetryableStatus, retryAfterMs } from './retry.js';
import type { Dispatcher } from './undici.js';

const USER_AGENT = `auto-origin-tls-kex-action/${VERSION}`;

export interface TransportOptions {
  apiUrl: string;
  credentials: Credentials;
  maxRetries: number;
  dispatcher: Dispatcher;
  budget: RateLimitBudget;
  /** Masks credentials in debug lines, which can carry error stacks. */
  redact: (text: string) => string;
  random?: () => number;
}

/** One zone's share of the run: its deadline and the requests reserved for it. */
export interface ZoneCall {
  deadline: Deadline;
  allowance: Allowance;
}

/**
 * Sends a request until it gets a final answer, within the zone's deadline. Retries are our own loop,
 * not undici's RetryAgent: undici 6's skips PATCH unless told, ignores retry-after-ms, adds no jitter
 * and drops the last body on exhaustion (losing Cloudflare's error code), and it cannot share one
 * rate-limit budget across zones.
 */
export class Transport {
  constructor(private readonly options: TransportOptions) {}

  async send(
    method: 'GET' | 'PATCH',
    path: string,
    body: string | undefined,
    zone: ZoneCall,
  ): Promise<{ answer: Answer; attempts: number; gaveUp?: string }> {
    const { apiUrl, credentials, maxRetries, dispatcher, budget, redact, random } = this.options;
    const { deadline } = zone;
    const url = joinUrl(apiUrl, path);
    const headers: Record<string, string> = {
      accept: 'application/json',
      'accept-encoding': 'identity',
      'user-agent': USER_AGENT,
      ...authHeaders(credentials),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    };
    const total = maxRetries + 1;
    for (let attempt = 1; ; attempt += 1) {
      const of = total > 1 ? ` (attempt ${attempt} of ${total})` : '';
      await this.takeFromBudget(zone, method);
      deadline.start();
      const started = Date.now();
      let answer: Answer;
      try {
        answer = await send({
          url,
          method,
          headers,
          body,
          dispatcher,
          signal: deadline.signal,
          onPhase: (phase) => {
            deadline.waitingFor =
              phase === 'headers'
                ? `Cloudflare to answer ${method}${of}, with nothing back yet (connection, TLS, proxy or headers)`
                : `the rest of Cloudflare's answer to ${method}${of}, which stopped or slowed mid-body`;
          },
        });
      } catch (error) {
        budget.release();
        if (deadline.expired) {
          // A PATCH cut off in flight may have been applied: say so, since re-running is the remedy.
          const maybe =
            method === 'PATCH'
              ? ' The PATCH may have been applied; re-running the step is safe.'
              : '';
          throw new StepError(`${deadline.error().message}.${maybe}`);
        }
        if (error instanceof StepError) throw error;
        const cause = describeCauses(error);
        core.debug(redact(`${method} ${path}${of}: ${stackOf(error)}`));
        if (attempt < total && cause.codes.some(isRetryableCode)) {
          await this.pause(
            backoffMs(attempt, random),
            deadline,
            `a retry after ${cause.codes.join(', ')}`,
          );
          continue;
        }
        throw networkFailure(apiUrl, cause, attempt);
      }
      budget.release(answer.headers);
      const ray = headerValue(answer.headers, 'cf-ray') ?? 'none';
      core.debug(
        `${method} ${path}: HTTP ${answer.status} in ${Date.now() - started} ms${of}, cf-ray ${ray}`,
      );
      if (answer.status < 200 || answer.status > 299) {
        core.debug(redact(`${method} ${path}: body ${JSON.stringify(answer.body.slice(0, 2000))}`));
      }
      const asked = retryAfterMs(answer.headers);
      // Every 429 pauses every zone, also when this zone has no attempt left.
      if (answer.status === 429) budget.pause(asked ?? backoffMs(attempt, random));
      if (attempt >= total || !isRetryableStatus(answer.status))
        return { answer, attempts: attempt };

      const wait = asked ?? backoffMs(attempt, random);
      // A retry that cannot fit in the deadline is not made: fail now, with what Cloudflare said.
      if (wait > deadline.remainingMs()) {
        const why =
          asked === undefined
            ? `the next retry was due in ${Math.ceil(wait / 1000)}s`
            : `Cloudflare asked to wait ${Math.ceil(asked / 1000)}s (Retry-After)`;
        const left = Math.floor(deadline.remainingMs() / 1000);
        return {
          answer,
          attempts: attempt,
          gaveUp: `${why}, more than the ${left}s left of timeout_seconds: re-run later, or raise timeout_seconds`,
        };
      }
      await this.pause(wait, deadline, `a retry after HTTP ${answer.status}${of}`);
    }
  }

  /** Before a zone's first request the wait is free; after it, the wait must fit in its deadline. */
  private async takeFromBudget(zone: ZoneCall, method: string): Promise<void> {
    const { deadline } = zone;
    deadline.waitingFor = `the rate-limit budget before ${method}`;
    try {
      await this.options.budget.send(zone.allowance, () =>
        deadline.started ? deadline.remainingMs() : Number.POSITIVE_INFINITY,
      );
    } catch (error) {
      if (!(error instanceof BudgetWaitTooLong)) throw error;
      throw new StepError(
        `Cloudflare's rate limit for this token needs a ${Math.ceil(error.waitMs / 1000)}s wait but only ${Math.floor(deadline.remainingMs() / 1000)}s of timeout_seconds remain: lower concurrency, or raise timeout_seconds`,
      );
    }
  }

  private async pause(ms: number, deadline: Deadline, what: string): Promise<void> {
    deadline.waitingFor = what;
    core.debug(`waiting ${ms} ms before ${what}`);
    try {
      await sleep(ms, undefined, { signal: deadline.signal });
    } catch {
      throw deadline.error();
    }
  }
}

function stackOf(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

function networkFailure(
  apiUrl: string,
  cause: ReturnType<typeof describeCauses>,
  attempts: number,
): StepError {
  const host = new URL(apiUrl).host;
  const after = attempts > 1 ? ` after ${attempts} attempts` : '';
  if (cause.codes.some((code) => /^(UND_ERR_RES_|UND_ERR_INFO|HPE_)/.test(code))) {
    return new StepError(
      `the answer from ${host} was not valid HTTP${after}: ${cause.text}. A proxy or middlebox may be interfering: check api_url and HTTPS_PROXY`,
    );
  }
  let todo =
    "Check api_url, the runner's network, and HTTPS_PROXY / NO_PROXY if the runner needs a proxy";
  if (cause.certificate) {
    todo = process.env.NODE_EXTRA_CA_CERTS
      ? 'TLS verification failed although NODE_EXTRA_CA_CERTS is set: check that file exists on the runner and holds the CA that signed this certificate (Node warns on stderr when it cannot load it)'
      : 'TLS verification failed: if a proxy or corporate CA re-signs HTTPS, set NODE_EXTRA_CA_CERTS to its CA certificate file';
  } else if (cause.codes.includes('ENOTFOUND')) {
    todo = `The name ${cause.hostname ?? new URL(apiUrl).hostname} did not resolve: check api_url, HTTPS_PROXY and the runner's DNS`;
  }
  return new StepError(`could not reach Cloudflare at ${host}${after}: ${cause.text}. ${todo}`);
}
