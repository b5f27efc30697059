import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { DEFAULT_ZONE_ID } from '../stand-in/cloudflare.mjs';
import { formatLog, runAction, runtimes } from '../stand-in/runner.mjs';
import { standInPerTest } from './harness/stand-in.js';
import { type Proxy, closedPort, startProxy, startSilentServer } from './harness/proxy.js';
import { type TestCertificates, makeCertificates } from './harness/tls.js';

// Faults are injected on real sockets, and the bundle runs on the Node that GitHub runs node24 actions on.
const runtime = runtimes().find((candidate) => candidate.name === 'node24') ?? runtimes()[0];
const SLACK_MS = 5000;

const start = standInPerTest();
let proxy: Proxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

function run(
  cf: { url: string; token: string },
  inputs: Record<string, string> = {},
  env: Record<string, string> = {},
) {
  return runAction({
    node: runtime?.path,
    inputs: {
      zone_id: DEFAULT_ZONE_ID,
      enabled: 'true',
      token: cf.token,
      api_url: cf.url,
      ...inputs,
    },
    env,
  });
}

const log = (result: { stdout: string }) => formatLog(result.stdout);
const errorLines = (result: { stdout: string }) =>
  result.stdout.split('\n').filter((line) => line.startsWith('::error'));
const json = (status: number, body: object, headers: Record<string, string> = {}) => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body,
});
const rateLimited = {
  success: false,
  errors: [{ code: 971, message: 'Please wait and consider throttling your request speed' }],
  messages: [],
  result: null,
};
const html = (status: number) => ({
  status,
  headers: { 'content-type': 'text/html' },
  body: `<html><head><title>${status}</title></head><body>cloudflare</body></html>`,
});

describe('hangs and deadlines', () => {
  it('fails a server that accepts the connection and never answers within timeout_seconds', async () => {
    const cf = await start({ handle: () => ({ hang: true }) });
    const result = await run(cf, { timeout_seconds: '2' });

    expect(result.code).toBe(1);
    expect(cf.requests).toHaveLength(1);
    expect(errorLines(result)).toHaveLength(1);
    expect(log(result)).toContain(
      'timed out after 2s waiting for Cloudflare to answer PATCH (attempt 1 of 4)',
    );
    expect(result.durationMs).toBeLessThan(2000 + SLACK_MS);
    expect(result.outputs['enabled']).toBeUndefined();
  });

  it('fails a body that stops halfway, saying so', async () => {
    const cf = await start({ handle: () => ({ stallAfterBytes: 20 }) });
    const result = await run(cf, { timeout_seconds: '2' });

    expect(result.code).toBe(1);
    expect(log(result)).toContain(
      "timed out after 2s waiting for the rest of Cloudflare's answer to PATCH (attempt 1 of 4), which stopped or slowed mid-body",
    );
    expect(result.durationMs).toBeLessThan(2000 + SLACK_MS);
  });

  it('bounds a TLS handshake that never ends', async () => {
    const silent = await startSilentServer();
    try {
      const url = `https://127.0.0.1:${silent.port}/client/v4`;
      const result = await run({ url, token: 'demo-token-0123456789' }, { timeout_seconds: '2' });

      expect(result.code).toBe(1);
      expect(log(result)).toContain('timed out after 2s waiting for Cloudflare to answer PATCH');
      expect(result.durationMs).toBeLessThan(2000 + SLACK_MS);
    } finally {
      await silent.close();
    }
  });

  it('bounds a proxy that accepts CONNECT and never answers', async () => {
    const cf = await start();
    proxy = await startProxy(undefined, { hang: true });
    const result = await run(cf, { timeout_seconds: '2' }, { HTTP_PROXY: proxy.url });

    expect(result.code).toBe(1);
    expect(cf.requests).toHaveLength(0);
    expect(log(result)).toContain('timed out after 2s waiting for Cloudflare to answer PATCH');
    expect(result.durationMs).toBeLessThan(2000 + SLACK_MS);
  });

  it('fails at once when Retry-After asks for longer than the time left', async () => {
    const cf = await start({ handle: () => json(429, rateLimited, { 'retry-after': '120' }) });
    const result = await run(cf, { timeout_seconds: '5' });

    expect(result.code).toBe(1);
    expect(cf.requests).toHaveLength(1);
    expect(log(result)).toMatch(
      /HTTP 429 rate limited from Cloudflare: 971 Please wait .*\(cf-ray [0-9a-f]+-LHR\)\..* Gave up early: Cloudflare asked to wait 120s \(Retry-After\), more than the [45]s left of timeout_seconds/,
    );
    expect(result.durationMs).toBeLessThan(SLACK_MS);
  });

  it('stops retrying when the next backoff would outrun the deadline, naming the last answer', async () => {
    const cf = await start({ handle: () => html(502) });
    const result = await run(cf, { timeout_seconds: '1', max_retries: '10' });

    expect(result.code).toBe(1);
    // What Cloudflare said last, rather than a bare timeout: no retry fits in what is left.
    expect(log(result)).toMatch(
      /HTTP 502 bad gateway after \d attempts from Cloudflare: the body was not JSON \(text\/html\).*Gave up early: the next retry was due in \d+s, more than the \ds left of timeout_seconds/,
    );
    expect(result.durationMs).toBeLessThan(1000 + SLACK_MS);
  });
});

describe('retries', () => {
  it('waits for Retry-After on a 429, then succeeds', async () => {
    const cf = await start({
      handle: (req) =>
        req.attempt === 1 ? json(429, rateLimited, { 'retry-after': '1' }) : undefined,
    });
    const result = await run(cf);

    expect(result.code).toBe(0);
    expect(cf.count('PATCH')).toBe(2);
    const [first, second] = cf.requests.map((request) => request.time);
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(950);
    expect(result.outputs['enabled']).toBe('true');
  });

  it('honours retry-after-ms', async () => {
    const cf = await start({
      handle: (req) =>
        req.attempt === 1 ? json(429, rateLimited, { 'retry-after-ms': '300' }) : undefined,
    });
    const result = await run(cf);

    expect(result.code).toBe(0);
    expect(cf.count('PATCH')).toBe(2);
  });

  it('backs off on a 429 without Retry-After, then succeeds', async () => {
    const cf = await start({
      handle: (req) => (req.attempt === 1 ? json(429, rateLimited) : undefined),
    });
    const result = await run(cf);

    expect(result.code).toBe(0);
    expect(cf.count('PATCH')).toBe(2);
  });

  it("says how many attempts a 429 took, with Cloudflare's code, when they run out", async () => {
    const cf = await start({ handle: () => json(429, rateLimited, { 'retry-after': '0' }) });
    const result = await run(cf, { max_retries: '3' });

    expect(result.code).toBe(1);
    expect(cf.count('PATCH')).toBe(4);
    expect(log(result)).toContain(
      'HTTP 429 rate limited after 4 attempts from Cloudflare: 971 Please wait and consider throttling your request speed',
    );
  });

  it('tries an HTML 502 exactly max_retries + 1 times and names the page', async () => {
    const cf = await start({ handle: () => html(502) });
    const result = await run(cf, { max_retries: '2' });

    expect(result.code).toBe(1);
    expect(cf.count('PATCH')).toBe(3);
    expect(errorLines(result)).toHaveLength(1);
    expect(log(result)).toContain(
      'HTTP 502 bad gateway after 3 attempts from Cloudflare: the body was not JSON (text/html): "<html><head><title>502</title>',
    );
    expect(result.stdout).not.toContain('Unexpected token');
  });

  it('recovers from an HTML 503 and from a Cloudflare 520', async () => {
    const cf = await start({
      handle: (req) => (req.attempt === 1 ? html(503) : req.attempt === 2 ? html(520) : undefined),
    });
    const result = await run(cf);

    expect(result.code).toBe(0);
    expect(cf.count('PATCH')).toBe(3);
  });

  it('tries a non-JSON 403 block page once', async () => {
    const cf = await start({ handle: () => html(403) });
    const result = await run(cf);

    expect(result.code).toBe(1);
    expect(cf.count('PATCH')).toBe(1);
    expect(log(result)).toContain(
      'HTTP 403 forbidden from Cloudflare: the body was not JSON (text/html)',
    );
  });

  it('never retries a 400', async () => {
    const cf = await start({
      handle: () =>
        json(400, {
          success: false,
          errors: [{ code: 1009, message: 'x' }],
          messages: [],
          result: null,
        }),
    });
    const result = await run(cf);

    expect(result.code).toBe(1);
    expect(cf.count('PATCH')).toBe(1);
  });

  it('retries a connection reset, then succeeds', async () => {
    const cf = await start({ handle: (req) => (req.attempt <= 2 ? { destroy: true } : undefined) });
    const result = await run(cf);

    expect(result.code).toBe(0);
    expect(cf.count('PATCH')).toBe(3);
  });

  it('names a reset that never stops, after every attempt', async () => {
    const cf = await start({ handle: () => ({ destroy: true }) });
    const result = await run(cf, { max_retries: '1' });

    expect(result.code).toBe(1);
    expect(cf.count('PATCH')).toBe(2);
    expect(log(result)).toMatch(
      /could not reach Cloudflare at 127\.0\.0\.1:\d+ after 2 attempts: (read ECONNRESET|ECONNRESET|UND_ERR_SOCKET)/,
    );
  });

  it('names a refused connection with its address, after every attempt', async () => {
    const port = await closedPort();
    const result = await run(
      { url: `http://127.0.0.1:${port}/client/v4`, token: 'demo-token-0123456789' },
      { max_retries: '1' },
    );

    expect(result.code).toBe(1);
    expect(log(result)).toContain(
      `could not reach Cloudflare at 127.0.0.1:${port} after 2 attempts: ECONNREFUSED 127.0.0.1:${port}`,
    );
    expect(result.stdout + result.stderr).not.toContain('fetch failed');
  });
});

describe('bad answers', () => {
  it.each([
    [
      'truncated JSON',
      {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: '{"success":true,"result":{"enab',
      },
      'the body was truncated or invalid JSON',
    ],
    [
      'an empty body',
      { status: 200, headers: { 'content-type': 'application/json' }, body: '' },
      'the body was empty',
    ],
    [
      'plain text',
      { status: 200, headers: { 'content-type': 'text/plain' }, body: 'OK' },
      'the body was not JSON (text/plain): "OK"',
    ],
    ['JSON that is not an object', json(200, [true]), 'the body was JSON but not an object'],
    [
      'success missing',
      json(200, { result: { enabled: true } }),
      'the answer has no boolean "success" field',
    ],
    [
      'result null',
      json(200, { success: true, errors: [], messages: [], result: null }),
      'success was true but result is null',
    ],
    [
      'enabled not a boolean',
      json(200, { success: true, errors: [], messages: [], result: { enabled: 'true' } }),
      'result.enabled is "true", not a boolean',
    ],
    [
      'enabled not what was asked',
      json(200, { success: true, errors: [], messages: [], result: { enabled: false } }),
      'result.enabled is false, not the requested true',
    ],
  ])('fails on %s with one line and no outputs but results', async (_name, reply, message) => {
    const cf = await start({ handle: () => reply });
    const result = await run(cf);

    expect(result.code).toBe(1);
    expect(cf.count('PATCH')).toBe(1);
    expect(errorLines(result)).toHaveLength(1);
    expect(log(result)).toContain(message);
    expect(Object.keys(result.outputs)).toEqual(['results']);
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /);
  });

  it('stops reading a body over 1 MiB and fails', async () => {
    const cf = await start({
      handle: () => ({
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: `{"pad":"${'x'.repeat(2 * 1024 * 1024)}"}`,
      }),
    });
    const result = await run(cf);

    expect(result.code).toBe(1);
    expect(log(result)).toContain('the body was larger than 1 MiB');
  });
});

describe('secrets and server text', () => {
  it('never lets an echo of the credential reach the log, the summary or results', async () => {
    const echo = (req: { headers: Record<string, string> }) =>
      json(400, {
        success: false,
        errors: [
          {
            code: 6003,
            message: `Invalid request headers: ${req.headers['authorization'] ?? ''} ${req.headers['x-auth-key'] ?? ''} ${req.headers['x-auth-email'] ?? ''}`,
          },
        ],
        messages: [],
      });
    const cf = await start({ handle: echo });
    const runs = [
      { secrets: [cf.token], result: await run(cf, {}, { RUNNER_DEBUG: '1' }) },
      {
        secrets: [cf.key, cf.email],
        result: await run(
          cf,
          { token: '', api_email: cf.email, api_key: cf.key },
          { RUNNER_DEBUG: '1' },
        ),
      },
    ];
    for (const { secrets, result } of runs) {
      expect(result.code).toBe(1);
      expect(log(result)).toMatch(/Invalid request headers: (Bearer )?\*\*\*/);
      const shown = [
        ...result.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::')),
        result.stderr,
        result.summary ?? '',
        JSON.stringify(result.outputs),
      ].join('\n');
      for (const secret of secrets) expect(shown).not.toContain(secret);
    }
  });

  it('keeps a modified_on that is not a date out of the outputs and the log', async () => {
    const cf = await start({
      handle: () =>
        json(200, {
          success: true,
          errors: [],
          messages: [],
          result: {
            id: 'auto_origin_tls_kex',
            enabled: true,
            modified_on: '2026\n::error::injected',
          },
        }),
    });
    const result = await run(cf);

    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(/^::error::injected/m);
    expect(result.outputs['modified_on']).toBe('');
    expect(result.stdout).toContain('Cloudflare sent a modified_on that is not a date');
  });
});

describe('TLS and proxies', () => {
  let certificates: TestCertificates;
  beforeAll(() => {
    certificates = makeCertificates();
  });

  const startTls = () => start({ tls: { key: certificates.key, cert: certificates.cert } });

  it('goes through HTTPS_PROXY to a TLS stand-in trusted by NODE_EXTRA_CA_CERTS, never showing the proxy password', async () => {
    const cf = await startTls();
    proxy = await startProxy({ user: 'runner', password: 'pr0xy-s3cret' });
    const result = await run(
      cf,
      {},
      { HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: certificates.caFile, RUNNER_DEBUG: '1' },
    );

    expect(cf.url).toMatch(/^https:/);
    expect(result.code).toBe(0);
    expect(proxy.tunnels).toEqual([`127.0.0.1:${cf.port}`]);
    expect(cf.count('PATCH')).toBe(1);
    expect(result.outputs['enabled']).toBe('true');
    const shown = [
      ...result.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::')),
      result.stderr,
    ].join('\n');
    expect(shown).not.toContain('pr0xy-s3cret');
    expect(shown).toContain('Proxy from the environment: HTTPS_PROXY=http://127.0.0.1:');
    expect(result.stderr).toBe('');
  });

  it('goes through HTTP_PROXY to a plain-http api_url', async () => {
    const cf = await start();
    proxy = await startProxy();
    const result = await run(cf, {}, { http_proxy: proxy.url });

    expect(result.code).toBe(0);
    expect(proxy.tunnels).toEqual([`127.0.0.1:${cf.port}`]);
    expect(cf.count('PATCH')).toBe(1);
  });

  it('bypasses the proxy for hosts in NO_PROXY', async () => {
    const cf = await startTls();
    proxy = await startProxy();
    const result = await run(
      cf,
      {},
      {
        https_proxy: proxy.url,
        no_proxy: 'example.org,127.0.0.1',
        NODE_EXTRA_CA_CERTS: certificates.caFile,
      },
    );

    expect(result.code).toBe(0);
    expect(proxy.tunnels).toEqual([]);
    expect(cf.count('PATCH')).toBe(1);
  });

  it('fails on a proxy that refuses the credentials, without showing them', async () => {
    const cf = await startTls();
    proxy = await startProxy({ user: 'runner', password: 'right-password' });
    const wrong = proxy.url.replace('right-password', 'wr0ng-passw0rd');
    const result = await run(
      cf,
      { max_retries: '0' },
      { HTTPS_PROXY: wrong, NODE_EXTRA_CA_CERTS: certificates.caFile, RUNNER_DEBUG: '1' },
    );

    expect(result.code).toBe(1);
    expect(proxy.refused).toBe(1);
    expect(log(result)).toMatch(/could not reach Cloudflare at 127\.0\.0\.1:\d+: .*407/);
    const shown = [
      ...result.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::')),
      result.stderr,
    ].join('\n');
    expect(shown).not.toContain('wr0ng-passw0rd');
  });

  it('fails on an untrusted certificate, once, naming it and NODE_EXTRA_CA_CERTS', async () => {
    const cf = await startTls();
    const result = await run(cf);

    expect(result.code).toBe(1);
    expect(cf.requests).toHaveLength(0);
    expect(log(result)).toMatch(
      /could not reach Cloudflare at 127\.0\.0\.1:\d+: unable to verify the first certificate.* \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)\. TLS verification failed: .*NODE_EXTRA_CA_CERTS/,
    );
  });

  it('verifies certificates even when the job sets NODE_TLS_REJECT_UNAUTHORIZED=0, directly and through a proxy', async () => {
    const cf = await startTls();
    proxy = await startProxy();
    const direct = await run(cf, {}, { NODE_TLS_REJECT_UNAUTHORIZED: '0' });
    const proxied = await run(
      cf,
      {},
      { NODE_TLS_REJECT_UNAUTHORIZED: '0', HTTPS_PROXY: proxy.url },
    );

    for (const result of [direct, proxied]) {
      expect(result.code).toBe(1);
      expect(log(result)).toContain('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    }
    expect(proxy.tunnels).toHaveLength(1);
    expect(cf.requests).toHaveLength(0);
  });

  it('refuses a proxy that is not http or https, in one line, before any request', async () => {
    const cf = await start();
    const result = await run(cf, {}, { HTTPS_PROXY: 'socks5://user:s0cks-pass@127.0.0.1:1080' });

    expect(result.code).toBe(1);
    expect(cf.requests).toHaveLength(0);
    expect(errorLines(result)).toEqual([
      '::error::HTTPS_PROXY is not an http:// or https:// proxy URL: expected e.g. http://proxy.example.com:3128',
    ]);
    expect(result.stdout).not.toContain('s0cks-pass');
  });

  it('takes a proxy without a scheme as http, as curl does', async () => {
    const cf = await start();
    proxy = await startProxy();
    const result = await run(cf, {}, { HTTP_PROXY: proxy.url.replace('http://', '') });

    expect(result.code).toBe(0);
    expect(proxy.tunnels).toEqual([`127.0.0.1:${cf.port}`]);
  });

  it('says so when NODE_EXTRA_CA_CERTS is set but does not trust the certificate', async () => {
    const cf = await startTls();
    const result = await run(cf, {}, { NODE_EXTRA_CA_CERTS: '/nonexistent/ca.pem' });

    expect(result.code).toBe(1);
    expect(log(result)).toContain('TLS verification failed although NODE_EXTRA_CA_CERTS is set');
    expect(log(result)).not.toContain('--use-system-ca');
  });

  it('makes nothing of proxies when none is set', async () => {
    const cf = await start();
    const result = await run(cf);

    expect(result.code).toBe(0);
    expect(result.stdout.toLowerCase()).not.toContain('proxy');
    expect(result.stderr).toBe('');
  });
});
