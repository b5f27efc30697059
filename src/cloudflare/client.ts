import * as core from '@actions/core';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Dispatcher } from './undici.js';
import { joinUrl } from '../api-url.js';
import { type Credentials, authHeaders } from '../credentials.js';
import { StepError } from '../errors.js';
import { VERSION } from '../version.js';
import { RateLimitBudget } from './budget.js';
import { describeCauses } from './causes.js';
import type { Deadline } from './deadline.js';
import {
  type Answer,
  type Envelope,
  badResult,
  failure,
  formatMessage,
  headerValue,
  oneLine,
  parseEnvelope,
} from './envelope.js';
import { send } from './http.js';
import { backoffMs, isRetryableCode, isRetryableStatus, retryAfterMs } from './retry.js';

export const USER_AGENT = `auto-origin-tls-kex-action/${VERSION}`;

export interface ClientOptions {
  apiUrl: string;
  credentials: Credentials;
  maxRetries: number;
  dispatcher: Dispatcher;
  budget?: RateLimitBudget;
  random?: () => number;
}

/** The setting as Cloudflare answered it. */
export interface Setting {
  enabled: boolean;
  modifiedOn: string | undefined;
  /** Cloudflare's `messages`, one line each. */
  notices: string[];
  /** What was odd about an answer that still counts as a success. */
  warnings: string[];
}

// ISO 8601 as Cloudflare writes it (2014-01-01T05:20:00.12345Z); anything else never reaches an output.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const ZONE_ID = /^[0-9a-f]{32}$/;

const SETTING_PATH = (zoneId: string): string => `zones/${zoneId}/settings/auto_origin_tls_kex`;
const ZONE_READ =
  "Looking up zone_name needs the token's Zone > Zone > Read permission on the zone, or use zone_id instead";

/**
 * The only module that speaks HTTP. Retries are our own loop, not undici's RetryAgent: undici 6's skips
 * PATCH unless told, ignores retry-after-ms, adds no jitter and drops the last body on exhaustion, which
 * would lose Cloudflare's error code, and it cannot share one rate-limit budget across zones.
 */
export class CloudflareClient {
  private readonly budget: RateLimitBudget;

  constructor(private readonly options: ClientOptions) {
    this.budget = options.budget ?? new RateLimitBudget();
  }

  async getSetting(zoneId: string, deadline: Deadline): Promise<Setting> {
    const { answer, envelope } = await this.call('GET', SETTING_PATH(zoneId), undefined, deadline);
    return toSetting(answer, envelope);
  }

  async setSetting(zoneId: string, enabled: boolean, deadline: Deadline): Promise<Setting> {
    const { answer, envelope } = await this.call(
      'PATCH',
      SETTING_PATH(zoneId),
      JSON.stringify({ enabled }),
      deadline,
    );
    const setting = toSetting(answer, envelope);
    if (setting.enabled !== enabled) {
      throw badResult(answer, `result.enabled is ${setting.enabled}, not the requested ${enabled}`);
    }
    return setting;
  }

  /** Resolves a zone name (apex domain) to its ID. */
  async findZone(
    zoneName: string,
    accountId: string | undefined,
    deadline: Deadline,
  ): Promise<string> {
    const query = new URLSearchParams({ name: zoneName });
    if (accountId !== undefined) query.set('account.id', accountId);
    const { answer, envelope } = await this.call(
      'GET',
      `zones?${query.toString()}`,
      undefined,
      deadline,
      ZONE_READ,
    );
    if (!Array.isArray(envelope.result)) throw badResult(answer, 'result is not a list of zones');
    const zones = envelope.result.flatMap((zone: unknown) => {
      const entry = (typeof zone === 'object' && zone !== null ? zone : {}) as Record<
        string,
        unknown
      >;
      const account = (
        typeof entry.account === 'object' && entry.account !== null ? entry.account : {}
      ) as Record<string, unknown>;
      const accountLabel = [account.name, account.id]
        .filter((part) => typeof part === 'string')
        .join(' ');
      return typeof entry.id === 'string' && ZONE_ID.test(entry.id) && entry.name === zoneName
        ? [{ id: entry.id, account: accountLabel || '?' }]
        : [];
    });
    const [only] = zones;
    if (zones.length === 1 && only !== undefined) return only.id;
    if (zones.length === 0) {
      const scope = accountId === undefined ? '' : ` in account ${accountId}`;
      throw new StepError(
        `no zone named ${zoneName} is visible to this token${scope}: check the name is the apex domain, and that the token has Zone > Zone > Read on it`,
      );
    }
    throw new StepError(
      `${zones.length} zones are named ${zoneName} (accounts: ${zones.map((zone) => zone.account).join(', ')}): set account_id, or use zone_id`,
    );
  }

  private async call(
    method: 'GET' | 'PATCH',
    path: string,
    body: string | undefined,
    deadline: Deadline,
    hint?: string,
  ): Promise<{ answer: Answer; envelope: Envelope }> {
    const { answer, attempts } = await this.sendWithRetries(method, path, body, deadline);
    const envelope = parseEnvelope(answer, attempts);
    if (answer.status < 200 || answer.status > 299 || envelope.success !== true) {
      throw failure(
        answer,
        envelope,
        attempts,
        answer.status === 403 || answer.status === 401 ? hint : undefined,
      );
    }
    return { answer, envelope };
  }

  private async sendWithRetries(
    method: 'GET' | 'PATCH',
    path: string,
    body: string | undefined,
    deadline: Deadline,
  ): Promise<{ answer: Answer; attempts: number }> {
    const { apiUrl, credentials, maxRetries, dispatcher, random } = this.options;
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
      await this.acquireBudget(deadline);
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
          timeoutMs: deadline.timeoutMs,
          onPhase: (phase) => {
            deadline.waitingFor =
              phase === 'headers'
                ? `Cloudflare to answer ${method}${of}`
                : `the rest of Cloudflare's answer to ${method}${of}, which stopped mid-body`;
          },
        });
      } catch (error) {
        this.budget.release();
        if (deadline.expired) throw deadline.error();
        if (error instanceof StepError) throw error;
        const cause = describeCauses(error);
        core.debug(
          `${method} ${path}: ${cause.text}${of}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
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
      this.budget.release(answer.headers);
      core.debug(
        `${method} ${path}: HTTP ${answer.status} in ${Date.now() - started} ms${of}, cf-ray ${headerValue(answer, 'cf-ray') ?? 'none'}`,
      );
      if (attempt >= total || !isRetryableStatus(answer.status))
        return { answer, attempts: attempt };

      const asked = retryAfterMs(answer.headers);
      if (answer.status === 429) this.budget.pause(asked ?? backoffMs(attempt, random));
      if (asked !== undefined && asked > deadline.remainingMs()) {
        throw new StepError(
          `HTTP ${answer.status} from Cloudflare asked to wait ${Math.ceil(asked / 1000)}s (Retry-After) but only ${Math.floor(deadline.remainingMs() / 1000)}s of timeout_seconds remain: re-run later, or raise timeout_seconds`,
        );
      }
      await this.pause(
        asked ?? backoffMs(attempt, random),
        deadline,
        `a retry after HTTP ${answer.status}${of}`,
      );
    }
  }

  // Waiting for the shared budget is scheduling, not this zone's network time: the deadline stops.
  private async acquireBudget(deadline: Deadline): Promise<void> {
    deadline.pause();
    try {
      await this.budget.acquire();
    } finally {
      deadline.resume();
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

function toSetting(answer: Answer, envelope: Envelope): Setting {
  const result = envelope.result;
  if (typeof result !== 'object' || result === null)
    throw badResult(answer, `result is ${result === null ? 'null' : typeof result}`);
  const { enabled, modified_on: modifiedOn } = result as Record<string, unknown>;
  if (typeof enabled !== 'boolean')
    throw badResult(
      answer,
      `result.enabled is ${JSON.stringify(enabled) ?? 'missing'}, not a boolean`,
    );
  const valid = typeof modifiedOn === 'string' && DATE_TIME.test(modifiedOn);
  return {
    enabled,
    modifiedOn: valid ? modifiedOn : undefined,
    notices: envelope.messages.map(formatMessage),
    warnings: valid
      ? []
      : [
          modifiedOn === undefined || modifiedOn === null || modifiedOn === ''
            ? 'Cloudflare sent no modified_on, so that output is empty'
            : `Cloudflare sent a modified_on that is not a date (${oneLine(JSON.stringify(modifiedOn), 40)}), so that output is empty`,
        ],
  };
}

function networkFailure(
  apiUrl: string,
  cause: ReturnType<typeof describeCauses>,
  attempts: number,
): StepError {
  const host = new URL(apiUrl).host;
  const after = attempts > 1 ? ` after ${attempts} attempts` : '';
  let todo =
    "check api_url, the runner's network, and HTTPS_PROXY / NO_PROXY if the runner needs a proxy";
  if (cause.certificate) {
    todo =
      'TLS verification failed: if a proxy or corporate CA re-signs HTTPS, set NODE_EXTRA_CA_CERTS to its CA certificate file';
  } else if (cause.codes.includes('ENOTFOUND')) {
    todo = `the name ${cause.hostname ?? new URL(apiUrl).hostname} did not resolve: check api_url, HTTPS_PROXY and the runner's DNS`;
  } else if (cause.codes.some((code) => /^(UND_ERR_RES_|UND_ERR_INFO|HPE_)/.test(code))) {
    return new StepError(
      `the answer from ${host} was not valid HTTP${after}: ${cause.text}. A proxy or middlebox may be interfering: check api_url and HTTPS_PROXY`,
    );
  }
  return new StepError(
    `could not reach Cloudflare at ${host}${after}: ${cause.text}. ${todo[0]?.toUpperCase()}${todo.slice(1)}`,
  );
}
