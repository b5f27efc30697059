import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { DEFAULT_ZONE_ID } from '../stand-in/cloudflare.mjs';
import { formatLog, runAction, runtimes } from '../stand-in/runner.mjs';
import { standInPerTest } from './harness/stand-in.js';

const VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;
const SETTING_PATH = `/client/v4/zones/${DEFAULT_ZONE_ID}/settings/auto_origin_tls_kex`;

const start = standInPerTest();

// The bundle as committed, run as the runner runs it, on the machine's Node and on Node 24.
describe.each(runtimes())('dist/index.js on $name', (runtime) => {
  const run = (inputs: Record<string, string | undefined>, env: Record<string, string> = {}) =>
    runAction({ node: runtime.path, inputs, env });

  it('runs on the Node it names', () => {
    expect(runtime.version).toMatch(
      runtime.name === 'node24' ? /^v24\./ : new RegExp(`^v${runtime.name.slice(4)}\\.`),
    );
  });

  it('enables the setting with exactly one PATCH and sets the outputs as Cloudflare answered', async () => {
    const cf = await start();
    const result = await run({
      zone_id: DEFAULT_ZONE_ID.toUpperCase(),
      enabled: 'true',
      token: cf.token,
      api_url: cf.url,
    });

    expect(result.code).toBe(0);
    expect(cf.requests).toHaveLength(1);
    const [request] = cf.requests;
    expect(request?.method).toBe('PATCH');
    expect(request?.path).toBe(SETTING_PATH);
    expect(request?.body).toBe('{"enabled":true}');
    expect(request?.headers['authorization']).toBe(`Bearer ${cf.token}`);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['user-agent']).toBe(`auto-origin-tls-kex-action/${VERSION}`);
    expect(result.outputs['enabled']).toBe('true');
    expect(result.outputs['modified_on']).toBe(cf.zones[DEFAULT_ZONE_ID]?.modifiedOn);
    expect(result.outputs['changed']).toBeUndefined();
    expect(formatLog(result.stdout)).toContain(`${DEFAULT_ZONE_ID}: Auto-Origin TLS KEX set to on`);
  });

  it('disables the setting with the boolean false, accepting YAML spellings', async () => {
    const cf = await start({
      zones: { [DEFAULT_ZONE_ID]: { name: 'example.com', enabled: true } },
    });
    const result = await run({
      zone_id: ` ${DEFAULT_ZONE_ID}\n`,
      enabled: ' FALSE ',
      token: cf.token,
      api_url: cf.url,
    });

    expect(result.code).toBe(0);
    expect(cf.requests.map((r) => r.body)).toEqual(['{"enabled":false}']);
    expect(result.outputs['enabled']).toBe('false');
  });

  it('authenticates with the legacy email and Global API Key', async () => {
    const cf = await start();
    const result = await run({
      zone_id: DEFAULT_ZONE_ID,
      enabled: 'true',
      api_email: cf.email,
      api_key: cf.key,
      api_url: cf.url,
    });

    expect(result.code).toBe(0);
    expect(cf.requests[0]?.headers['x-auth-email']).toBe(cf.email);
    expect(cf.requests[0]?.headers['x-auth-key']).toBe(cf.key);
    expect(cf.requests[0]?.headers['authorization']).toBeUndefined();
  });

  it.each([
    [{ zone_id: 'example.com' }, 'zone_id "example.com" looks like a domain name'],
    [{ zone_id: 'abc' }, 'zone_id "abc" has 3 characters'],
    [{ zone_id: '' }, 'zone_id is required'],
    [{ enabled: 'yes' }, 'enabled "yes" is not a boolean: use true or false'],
    [{ enabled: '' }, 'enabled is required in mode apply'],
    [{ token: '' }, 'no credentials: set token'],
    [{ token: '', api_email: 'ops@example.com' }, 'api_email is set but api_key is missing'],
    [{ token: 'line1\nline2' }, 'token contains a line break'],
    [
      { api_url: 'http://api.cloudflare.com/client/v4' },
      'api_url uses http to api.cloudflare.com: use https',
    ],
    [{ mode: 'Apply' }, 'mode "Apply" is not one of apply, check, read'],
    [{ max_retries: '11' }, 'max_retries "11" is not a whole number from 0 to 10'],
    [{ timeout_seconds: '0' }, 'timeout_seconds "0" is not a whole number from 1'],
    [{ concurrency: '51' }, 'concurrency "51" is not a whole number from 1 to 50'],
  ])('refuses bad input %j before any request', async (bad, message) => {
    const cf = await start();
    const result = await run({
      zone_id: DEFAULT_ZONE_ID,
      enabled: 'true',
      token: cf.token,
      api_url: cf.url,
      ...bad,
    });

    expect(result.code).toBe(1);
    expect(cf.requests).toHaveLength(0);
    expect(result.stdout).toMatch(
      new RegExp(`^::error title=Invalid input::${escapeRegExp(message)}.*$`, 'm'),
    );
    expect(result.outputs).toEqual({});
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /);
  });

  it('never quotes a credential in an input error, even one pasted into the wrong input', async () => {
    const cf = await start();
    const result = await run({
      zone_id: DEFAULT_ZONE_ID,
      enabled: cf.token,
      mode: cf.token,
      token: cf.token,
      api_url: cf.url,
    });

    expect(result.code).toBe(1);
    expect(cf.requests).toHaveLength(0);
    const shown = result.stdout
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n');
    expect(shown).toContain('mode "***" is not one of apply, check, read');
    expect(shown).not.toContain(cf.token);
  });

  it('fails on success:false with a 4xx, naming the code, the cf-ray and what to do, and sets no output', async () => {
    const cf = await start();
    const result = await run({
      zone_id: DEFAULT_ZONE_ID,
      enabled: 'true',
      token: 'Bearer-less-but-wrong',
      api_url: cf.url,
    });

    expect(result.code).toBe(1);
    expect(cf.requests).toHaveLength(1);
    const log = formatLog(result.stdout);
    expect(log).toMatch(
      /Error: 023e105f4ecef8ad9ca31a8372d0c353: HTTP 403 forbidden from Cloudflare: 10000 Authentication error \(cf-ray [0-9a-f]{16}-[A-Z]{3}\)\. The token is invalid, expired, IP-restricted or lacks permission: verify it/,
    );
    expect(Object.keys(result.outputs)).toEqual(['results']);
  });

  it('fails on success:false with HTTP 200 even though a result came along', async () => {
    const cf = await start({
      handle: () => ({
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: {
          success: false,
          errors: [
            {
              code: 1009,
              message: "Missing field 'enabled' in JSON body",
              error_chain: [{ code: 1010, message: 'inner' }],
            },
          ],
          messages: [],
          result: {
            id: 'auto_origin_tls_kex',
            enabled: true,
            modified_on: '2014-01-01T05:20:00.12345Z',
          },
        },
      }),
    });
    const result = await run({
      zone_id: DEFAULT_ZONE_ID,
      enabled: 'true',
      token: cf.token,
      api_url: cf.url,
    });

    expect(result.code).toBe(1);
    expect(formatLog(result.stdout)).toContain(
      "HTTP 200 from Cloudflare: 1009 Missing field 'enabled' in JSON body (1010 inner)",
    );
    expect(result.outputs['enabled']).toBeUndefined();
    expect(result.outputs['modified_on']).toBeUndefined();
    expect(JSON.parse(result.outputs['results'] ?? '')).toEqual([
      expect.objectContaining({
        zone_id: DEFAULT_ZONE_ID,
        enabled: null,
        error: expect.stringContaining('1009'),
      }),
    ]);
  });

  it('fails on a non-JSON 5xx page with the status, content type and an excerpt', async () => {
    const cf = await start({
      handle: () => ({
        status: 500,
        headers: { 'content-type': 'text/html' },
        body: '<html><body><h1>500 Internal Server Error</h1></body></html>',
      }),
    });
    const result = await run({
      zone_id: DEFAULT_ZONE_ID,
      enabled: 'true',
      token: cf.token,
      api_url: cf.url,
      max_retries: '0',
    });

    expect(result.code).toBe(1);
    expect(formatLog(result.stdout)).toContain(
      'HTTP 500 internal server error from Cloudflare: the body was not JSON (text/html): "<html><body><h1>500 Internal Server Error</h1></body></html>"',
    );
    expect(result.stdout).not.toContain('Unexpected token');
  });

  it('shows Cloudflare messages as notices and warns when modified_on is missing', async () => {
    const cf = await start({
      handle: () => ({
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: {
          success: true,
          errors: [],
          messages: [{ code: 1000, message: 'Origin scan scheduled' }],
          result: { id: 'auto_origin_tls_kex', enabled: true },
        },
      }),
    });
    const result = await run({
      zone_id: DEFAULT_ZONE_ID,
      enabled: 'true',
      token: cf.token,
      api_url: cf.url,
    });

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^::notice title=.*::1000 Origin scan scheduled$/m);
    expect(result.stdout).toMatch(
      /^::warning title=.*::Cloudflare sent no modified_on, so that output is empty$/m,
    );
    expect(result.outputs['modified_on']).toBe('');
  });

  it('never shows a credential, even with step debug logging on and on failure', async () => {
    const cf = await start({
      handle: (req) => (req.attempt === 1 ? { status: 502, body: 'bad gateway' } : undefined),
    });
    const runs = [
      await run(
        { zone_id: DEFAULT_ZONE_ID, enabled: 'true', token: cf.token, api_url: cf.url },
        { RUNNER_DEBUG: '1' },
      ),
      await run(
        { zone_id: DEFAULT_ZONE_ID, enabled: 'true', token: 'wrong-token-123456', api_url: cf.url },
        { RUNNER_DEBUG: '1' },
      ),
      await run(
        {
          zone_id: DEFAULT_ZONE_ID,
          enabled: 'true',
          api_email: cf.email,
          api_key: 'wrong-key-98765',
          api_url: cf.url,
        },
        { RUNNER_DEBUG: '1' },
      ),
    ];
    for (const [index, result] of runs.entries()) {
      const secrets =
        [[cf.token], ['wrong-token-123456'], [cf.email, 'wrong-key-98765']][index] ?? [];
      const shown = [
        ...result.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::')),
        result.stderr,
        result.summary ?? '',
      ].join('\n');
      for (const secret of secrets) expect(shown).not.toContain(secret);
      expect(result.stdout).toContain('::debug::');
    }
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
