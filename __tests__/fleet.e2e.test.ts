import { describe, expect, it } from '@jest/globals';
import { type StandIn, DEFAULT_ZONE_ID } from '../stand-in/cloudflare.mjs';
import { formatLog, runAction, runtimes } from '../stand-in/runner.mjs';
import { standInPerTest } from './harness/stand-in.js';

const runtime = runtimes().find((candidate) => candidate.name === 'node24') ?? runtimes()[0];
const ID_A = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const ID_B = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const UNKNOWN = 'cccccccccccccccccccccccccccccccc';
const OTHER_ACCOUNT = '0123456789abcdef0123456789abcdef';

const start = standInPerTest();

function run(cf: StandIn, inputs: Record<string, string>, options: { summary?: boolean } = {}) {
  return runAction({
    node: runtime?.path,
    inputs: { token: cf.token, api_url: cf.url, ...inputs },
    ...options,
  });
}

type Entry = Record<string, string | boolean | null>;
const results = (outputs: Record<string, string>): Entry[] =>
  JSON.parse(outputs['results'] ?? 'null') as Entry[];
const zones = (enabled: boolean) => ({
  [ID_A]: { name: 'a.example', enabled },
  [ID_B]: { name: 'b.example', enabled },
});

describe('mode check (the release gate)', () => {
  it('passes when the zone matches, with GET only, and reports the state read', async () => {
    const cf = await start({
      zones: {
        [DEFAULT_ZONE_ID]: {
          name: 'example.com',
          enabled: true,
          modifiedOn: '2026-01-02T03:04:05Z',
        },
      },
    });
    const result = await run(cf, { mode: 'check', zone_id: DEFAULT_ZONE_ID, enabled: 'true' });

    expect(result.code).toBe(0);
    expect(cf.requests.map((r) => r.method)).toEqual(['GET']);
    expect(result.outputs).toMatchObject({
      enabled: 'true',
      modified_on: '2026-01-02T03:04:05Z',
      changed: 'false',
      previous_enabled: 'true',
    });
    expect(formatLog(result.stdout)).toContain('Auto-Origin TLS KEX on, as expected');
  });

  it('fails on drift naming the zone, the expected and the actual value, and never writes', async () => {
    const cf = await start();
    const result = await run(cf, { mode: 'check', zone_id: DEFAULT_ZONE_ID, enabled: 'true' });

    expect(result.code).toBe(1);
    expect(cf.count('PATCH')).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(
        `^::error title=Zone ${DEFAULT_ZONE_ID}::${DEFAULT_ZONE_ID}: drift: Auto-Origin TLS KEX is off but expected on`,
        'm',
      ),
    );
    expect(result.outputs).toMatchObject({
      enabled: 'false',
      changed: 'false',
      previous_enabled: 'false',
    });
    expect(results(result.outputs)[0]).toMatchObject({
      enabled: false,
      error: expect.stringContaining('drift'),
    });
  });

  it('ignores skip_unchanged with a warning', async () => {
    const cf = await start();
    const result = await run(cf, {
      mode: 'check',
      zone_id: DEFAULT_ZONE_ID,
      enabled: 'false',
      skip_unchanged: 'true',
    });

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      '::warning::skip_unchanged applies to mode apply only and is ignored in mode check',
    );
  });
});

describe('mode read', () => {
  it('reads without enabled, never writes, and sets the outputs for later steps', async () => {
    const cf = await start({
      zones: { [DEFAULT_ZONE_ID]: { name: 'example.com', enabled: true } },
    });
    const result = await run(cf, { mode: 'read', zone_id: DEFAULT_ZONE_ID });

    expect(result.code).toBe(0);
    expect(cf.requests.map((r) => r.method)).toEqual(['GET']);
    expect(result.outputs['enabled']).toBe('true');
    expect(result.outputs['changed']).toBeUndefined();
    expect(result.outputs['previous_enabled']).toBeUndefined();
  });
});

describe('skip_unchanged', () => {
  it('makes no PATCH when the zone already matches and reports changed=false', async () => {
    const cf = await start({
      zones: { [DEFAULT_ZONE_ID]: { name: 'example.com', enabled: true } },
    });
    const result = await run(cf, {
      zone_id: DEFAULT_ZONE_ID,
      enabled: 'true',
      skip_unchanged: 'true',
    });

    expect(result.code).toBe(0);
    expect(cf.requests.map((r) => r.method)).toEqual(['GET']);
    expect(result.outputs).toMatchObject({
      enabled: 'true',
      changed: 'false',
      previous_enabled: 'true',
    });
  });

  it('writes when the zone differs and reports changed=true with the previous value', async () => {
    const cf = await start();
    const result = await run(cf, {
      zone_id: DEFAULT_ZONE_ID,
      enabled: 'true',
      skip_unchanged: 'true',
    });

    expect(result.code).toBe(0);
    expect(cf.requests.map((r) => r.method)).toEqual(['GET', 'PATCH']);
    expect(result.outputs).toMatchObject({
      enabled: 'true',
      changed: 'true',
      previous_enabled: 'false',
    });
    expect(formatLog(result.stdout)).toContain('changed from off to on');
  });
});

describe('many zones', () => {
  it('sets the others when one is refused, fails the step, and reports all three', async () => {
    const cf = await start({ zones: zones(false) });
    const result = await run(cf, {
      zone_id: `${ID_A}\n${UNKNOWN}, ${ID_B} ${ID_A.toUpperCase()}`,
      enabled: 'true',
    });

    expect(result.code).toBe(1);
    expect(cf.zones[ID_A]?.enabled).toBe(true);
    expect(cf.zones[ID_B]?.enabled).toBe(true);
    expect(cf.count('PATCH', ID_A)).toBe(1);
    expect(cf.count('PATCH', UNKNOWN)).toBe(1);

    const entries = results(result.outputs);
    expect(entries).toHaveLength(3);
    for (const entry of entries) {
      expect(Object.keys(entry).sort()).toEqual([
        'changed',
        'enabled',
        'error',
        'modified_on',
        'previous_enabled',
        'zone_id',
        'zone_name',
      ]);
    }
    expect(entries.find((entry) => entry['zone_id'] === ID_A)).toMatchObject({
      enabled: true,
      error: null,
      changed: null,
    });
    expect(entries.find((entry) => entry['zone_id'] === UNKNOWN)).toMatchObject({
      enabled: null,
      modified_on: null,
      error: expect.stringContaining('9109 Unauthorized to access requested resource'),
    });
    // With several zones the single-zone outputs are not set.
    expect(Object.keys(result.outputs)).toEqual(['results']);

    const errors = result.stdout.split('\n').filter((line) => line.startsWith('::error'));
    expect(errors).toEqual([expect.stringMatching(new RegExp(`^::error title=Zone ${UNKNOWN}::`))]);
    expect(formatLog(result.stdout)).toContain('1 of 3 zones failed.');

    expect(result.summary).toContain('1 of 3 zones failed');
    for (const id of [ID_A, ID_B, UNKNOWN]) expect(result.summary).toContain(`<td>${id}</td>`);
    expect(result.summary).toContain('Cloudflare codes 9109');
  });

  it('refuses every malformed entry before any request, naming each', async () => {
    const cf = await start();
    const result = await run(cf, { zone_id: `${ID_A}, example.com, 12345`, enabled: 'true' });

    expect(result.code).toBe(1);
    expect(cf.requests).toHaveLength(0);
    expect(result.stdout).toContain('zone_id entry "example.com" looks like a domain name');
    expect(result.stdout).toContain('zone_id entry "12345" has 5 characters');
  });

  it('never runs more than concurrency zones at once', async () => {
    let active = 0;
    let most = 0;
    const ids = Array.from({ length: 9 }, (_, i) => String(i + 1).repeat(32));
    const cf = await start({
      zones: Object.fromEntries(ids.map((id) => [id, { name: `z${id[0]}.example` }])),
      handle: async () => {
        active += 1;
        most = Math.max(most, active);
        await new Promise((resolve) => setTimeout(resolve, 40));
        active -= 1;
        return undefined;
      },
    });
    const result = await run(cf, { zone_id: ids.join(' '), enabled: 'true', concurrency: '3' });

    expect(result.code).toBe(0);
    expect(cf.count('PATCH')).toBe(9);
    expect(most).toBe(3);
  });

  it.each(['8', '50'])(
    'keeps every zone under a shared rate-limit budget told by the RateLimit headers, at concurrency %s',
    async (concurrency) => {
      const ids = Array.from({ length: 24 }, (_, i) => i.toString(16).padStart(2, '0').repeat(16));
      const cf = await start({
        zones: Object.fromEntries(ids.map((id) => [id, { name: `z${id.slice(0, 2)}.example` }])),
        rateLimit: { limit: 10, windowSeconds: 2 },
      });
      const result = await run(cf, { zone_id: ids.join('\n'), enabled: 'true', concurrency });

      expect(result.code).toBe(0);
      expect(ids.every((id) => cf.zones[id]?.enabled === true)).toBe(true);
      expect(cf.rateLimited).toBeLessThanOrEqual(1);
    },
  );
});

describe('rate-limit budget waits', () => {
  it('do not count against timeout_seconds, and are announced once', async () => {
    const ids = Array.from({ length: 8 }, (_, i) => String(i + 1).repeat(32));
    const cf = await start({
      zones: Object.fromEntries(ids.map((id) => [id, { name: `z${id[0]}.example` }])),
      rateLimit: { limit: 10, windowSeconds: 3 },
    });
    // 16 requests (GET and PATCH per zone) against 10 per 3 s: some zones wait between their two.
    const result = await run(cf, {
      zone_id: ids.join(' '),
      enabled: 'true',
      skip_unchanged: 'true',
      timeout_seconds: '1',
      concurrency: '8',
    });

    expect(result.code).toBe(0);
    expect(ids.every((id) => cf.zones[id]?.enabled === true)).toBe(true);
    expect(cf.rateLimited).toBe(0);
    const waits = formatLog(result.stdout)
      .split('\n')
      .filter((line) => line.startsWith('Waiting '));
    expect(waits).toEqual([
      expect.stringMatching(
        /^Waiting [1-3]s before the next request: the token's rate-limit window is spent\.$/,
      ),
    ]);
  });
});

describe('a 429', () => {
  it('pauses every zone for its Retry-After, also when that zone has no attempt left', async () => {
    const ids = Array.from({ length: 4 }, (_, i) => String(i + 1).repeat(32));
    let limited = false;
    const cf = await start({
      zones: Object.fromEntries(ids.map((id) => [id, { name: `z${id[0]}.example` }])),
      handle: (req) => {
        if (limited || req.zoneId !== ids[0]) return undefined;
        limited = true;
        return {
          status: 429,
          headers: { 'content-type': 'application/json', 'retry-after': '1' },
          body: { success: false, errors: [{ code: 971, message: 'Please wait' }], messages: [] },
        };
      },
    });
    const result = await run(cf, {
      zone_id: ids.join(' '),
      enabled: 'true',
      concurrency: '1',
      max_retries: '0',
    });

    expect(result.code).toBe(1);
    const [refused, next] = cf.requests;
    expect(refused?.zoneId).toBe(ids[0]);
    expect((next?.time ?? 0) - (refused?.time ?? 0)).toBeGreaterThanOrEqual(950);
    expect(ids.slice(1).every((id) => cf.zones[id]?.enabled === true)).toBe(true);
  });
});

describe('zone names', () => {
  it('looks a name up, then sets that zone', async () => {
    const cf = await start();
    const result = await run(cf, { zone_name: 'Example.com', enabled: 'true' });

    expect(result.code).toBe(0);
    expect(cf.requests.map((r) => `${r.method} ${r.path}?${r.query.toString()}`)).toEqual([
      'GET /client/v4/zones?name=example.com',
      `PATCH /client/v4/zones/${DEFAULT_ZONE_ID}/settings/auto_origin_tls_kex?`,
    ]);
    expect(results(result.outputs)).toEqual([
      expect.objectContaining({
        zone_id: DEFAULT_ZONE_ID,
        zone_name: 'example.com',
        enabled: true,
      }),
    ]);
    expect(result.outputs['enabled']).toBe('true');
  });

  it('sets a zone named both by ID and by name once', async () => {
    const cf = await start();
    const result = await run(cf, {
      zone_id: DEFAULT_ZONE_ID,
      zone_name: 'example.com',
      enabled: 'true',
    });

    expect(result.code).toBe(0);
    expect(cf.count('PATCH')).toBe(1);
    expect(results(result.outputs)).toEqual([
      expect.objectContaining({ zone_id: DEFAULT_ZONE_ID, zone_name: 'example.com' }),
    ]);
  });

  it('fails a name with no match, and one with several, and sets the rest', async () => {
    const cf = await start({
      zones: {
        [ID_A]: { name: 'shared.example' },
        [ID_B]: { name: 'shared.example', accountId: OTHER_ACCOUNT },
        [DEFAULT_ZONE_ID]: { name: 'example.com' },
      },
    });
    const result = await run(cf, {
      zone_name: 'shared.example missing.example example.com',
      enabled: 'true',
    });

    expect(result.code).toBe(1);
    expect(cf.count('PATCH')).toBe(1);
    const log = formatLog(result.stdout);
    expect(log).toContain(
      'missing.example: no zone named missing.example is visible to this token',
    );
    expect(log).toMatch(
      /shared\.example: 2 zones are named shared\.example \(accounts: .*\): set account_id, or use zone_id/,
    );
    expect(results(result.outputs).map((entry) => entry['zone_name'])).toEqual([
      'shared.example',
      'missing.example',
      'example.com',
    ]);
  });

  it('narrows a lookup to account_id', async () => {
    const cf = await start({
      zones: {
        [ID_A]: { name: 'shared.example' },
        [ID_B]: { name: 'shared.example', accountId: OTHER_ACCOUNT },
      },
    });
    const result = await run(cf, {
      zone_name: 'shared.example',
      account_id: OTHER_ACCOUNT,
      enabled: 'true',
    });

    expect(result.code).toBe(0);
    expect(cf.requests[0]?.query.get('account.id')).toBe(OTHER_ACCOUNT);
    expect(cf.zones[ID_B]?.enabled).toBe(true);
    expect(cf.zones[ID_A]?.enabled).toBe(false);
  });

  it('refuses a lookup answer whose zone ID is not an ID, and writes nothing', async () => {
    const cf = await start({
      handle: (req) =>
        req.path.endsWith('/zones')
          ? {
              status: 200,
              headers: { 'content-type': 'application/json' },
              body: {
                success: true,
                errors: [],
                messages: [],
                result: [{ id: '../../user/tokens', name: 'example.com' }],
              },
            }
          : undefined,
    });
    const result = await run(cf, { zone_name: 'example.com', enabled: 'true' });

    expect(result.code).toBe(1);
    expect(cf.requests.map((r) => r.method)).toEqual(['GET']);
    expect(formatLog(result.stdout)).toContain(
      'no zone named example.com is visible to this token',
    );
  });

  it('says a refused lookup needs Zone Read', async () => {
    const cf = await start({
      handle: (req) =>
        req.path.endsWith('/zones')
          ? {
              status: 403,
              headers: { 'content-type': 'application/json' },
              body: {
                success: false,
                errors: [{ code: 9109, message: 'Unauthorized to access requested resource' }],
                messages: [],
                result: null,
              },
            }
          : undefined,
    });
    const result = await run(cf, { zone_name: 'example.com', enabled: 'true' });

    expect(result.code).toBe(1);
    expect(formatLog(result.stdout)).toContain(
      "Looking up zone_name needs the token's Zone > Zone > Read permission",
    );
  });
});

describe('job summary', () => {
  it('shows a row per zone with before, requested, after and outcome, and the run', async () => {
    const cf = await start({
      zones: { ...zones(false), [ID_B]: { name: 'b.example', enabled: true } },
    });
    const result = await run(cf, {
      zone_id: `${ID_A} ${ID_B}`,
      enabled: 'true',
      skip_unchanged: 'true',
    });

    expect(result.code).toBe(0);
    expect(result.summary).toContain('<h3>Auto-Origin TLS KEX (apply): all 2 zones done</h3>');
    expect(result.summary).toContain(`<tr><td>${ID_A}</td><td>off</td><td>on</td><td>on</td>`);
    expect(result.summary).toContain(`<tr><td>${ID_B}</td><td>on</td><td>on</td><td>on</td>`);
    expect(result.summary).toContain('✅ changed');
    expect(result.summary).toContain('✅ unchanged');
    expect(result.summary).toContain('https://github.com/octo-org/shop/actions/runs/42');
  });

  it('is skipped without failing where GITHUB_STEP_SUMMARY is not set', async () => {
    const cf = await start();
    const result = await run(cf, { zone_id: DEFAULT_ZONE_ID, enabled: 'true' }, { summary: false });

    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('::warning');
    expect(result.summary).toBeNull();
  });
});
