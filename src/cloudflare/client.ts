import { StepError } from '../errors.js';
import { type RateLimitBudget } from './budget.js';
import { Deadline } from './deadline.js';
import {
  type Answer,
  type Envelope,
  badResult,
  failure,
  formatMessage,
  oneLine,
  parseEnvelope,
} from './envelope.js';
import { Transport, type TransportOptions, type ZoneCall } from './transport.js';

export type { ZoneCall };

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

/** Cloudflare's endpoints for this setting, each answer checked. The only module that speaks HTTP, with transport.ts. */
export class CloudflareClient {
  private readonly transport: Transport;
  private readonly budget: RateLimitBudget;

  constructor(options: TransportOptions) {
    this.transport = new Transport(options);
    this.budget = options.budget;
  }

  /**
   * Starts one zone: reserves the requests it plans (waiting for the shared budget if needed, which
   * does not count against its deadline) and gives it a deadline that starts with its first request.
   */
  async begin(plannedRequests: number, timeoutSeconds: number): Promise<ZoneCall> {
    const allowance = await this.budget.reserve(plannedRequests);
    return { deadline: new Deadline(timeoutSeconds), allowance };
  }

  /** Ends a zone: gives back the requests it did not use. */
  end(zone: ZoneCall): void {
    this.budget.giveBack(zone.allowance);
    zone.deadline.dispose();
  }

  async getSetting(zoneId: string, zone: ZoneCall): Promise<Setting> {
    const { answer, envelope } = await this.call('GET', SETTING_PATH(zoneId), undefined, zone);
    return toSetting(answer, envelope);
  }

  async setSetting(zoneId: string, enabled: boolean, zone: ZoneCall): Promise<Setting> {
    const { answer, envelope } = await this.call(
      'PATCH',
      SETTING_PATH(zoneId),
      JSON.stringify({ enabled }),
      zone,
    );
    const setting = toSetting(answer, envelope);
    if (setting.enabled !== enabled) {
      throw badResult(
        answer,
        `result.enabled is ${setting.enabled}, not the requested ${enabled}, so the change was not applied. Re-run the step; if it persists, contact Cloudflare support with the cf-ray`,
      );
    }
    return setting;
  }

  /** Resolves a zone name (apex domain) to its ID. */
  async findZone(zoneName: string, accountId: string | undefined, zone: ZoneCall): Promise<string> {
    const query = new URLSearchParams({ name: zoneName });
    if (accountId !== undefined) query.set('account.id', accountId);
    const { answer, envelope } = await this.call(
      'GET',
      `zones?${query.toString()}`,
      undefined,
      zone,
      ZONE_READ,
    );
    if (!Array.isArray(envelope.result)) throw badResult(answer, 'result is not a list of zones');
    const zones = envelope.result.flatMap((item: unknown) => {
      const entry = (typeof item === 'object' && item !== null ? item : {}) as Record<
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
      `${zones.length} zones are named ${zoneName} (accounts: ${zones.map((found) => found.account).join(', ')}): set account_id, or use zone_id`,
    );
  }

  private async call(
    method: 'GET' | 'PATCH',
    path: string,
    body: string | undefined,
    zone: ZoneCall,
    hint?: string,
  ): Promise<{ answer: Answer; envelope: Envelope }> {
    const { answer, attempts, gaveUp } = await this.transport.send(method, path, body, zone);
    try {
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
    } catch (error) {
      if (gaveUp === undefined || !(error instanceof StepError)) throw error;
      throw new StepError(`${error.message}. Gave up early: ${gaveUp}`, error);
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
