import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { DEFAULT_ACCOUNT_ID, DEFAULT_ZONE_ID, startStandIn } from '../stand-in/cloudflare.mjs';
import { parseOutputs } from '../stand-in/runner.mjs';

type StandIn = Awaited<ReturnType<typeof startStandIn>>;
type Options = NonNullable<Parameters<typeof startStandIn>[0]>;

const TOKEN = 'demo-token-0123456789';
const BEARER = { authorization: `Bearer ${TOKEN}` };
const JSON_BEARER = { ...BEARER, 'content-type': 'application/json' };
const OTHER_ZONE_ID = '9a7806061c88ada191ed06f989cc3dac';
const OTHER_ACCOUNT_ID = '5f1c6d5e0a2b4c3d9e8f7a6b5c4d3e2f';
const UNCHANGED = {
  id: 'auto_origin_tls_kex',
  enabled: false,
  modified_on: '2014-01-01T05:20:00.12345Z',
};

let standIn: StandIn | undefined;

afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

async function start(options: Options = {}): Promise<StandIn> {
  standIn = await startStandIn(options);
  return standIn;
}

const settingUrl = (s: StandIn, zoneId: string = DEFAULT_ZONE_ID) =>
  `${s.url}/zones/${zoneId}/settings/auto_origin_tls_kex`;

interface CfBody {
  success: boolean;
  errors: unknown[];
  messages: unknown[];
  result: unknown;
  result_info?: unknown;
}

async function call(url: string, init: RequestInit = {}) {
  const response = await fetch(url, init);
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as CfBody,
  };
}

const failure = (errors: unknown[], result: unknown = null) => ({
  success: false,
  errors,
  messages: [],
  result,
});

describe('setting endpoint', () => {
  it('enables the setting with a bearer token and records the request', async () => {
    const s = await start();
    const { status, headers, body } = await call(settingUrl(s), {
      method: 'PATCH',
      headers: JSON_BEARER,
      body: '{"enabled":true}',
    });

    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('application/json');
    expect(headers.get('cf-ray')).toMatch(/^[0-9a-f]{16}-LHR$/);
    expect(body).toEqual({
      success: true,
      errors: [],
      messages: [],
      result: {
        id: 'auto_origin_tls_kex',
        enabled: true,
        modified_on: s.zones[DEFAULT_ZONE_ID]?.modifiedOn,
      },
    });
    expect(s.zones[DEFAULT_ZONE_ID]?.enabled).toBe(true);
    expect(s.zones[DEFAULT_ZONE_ID]?.modifiedOn).not.toBe(UNCHANGED.modified_on);
    expect(s.requests).toHaveLength(1);
    expect(s.requests[0]).toMatchObject({
      method: 'PATCH',
      path: `/client/v4/zones/${DEFAULT_ZONE_ID}/settings/auto_origin_tls_kex`,
      body: '{"enabled":true}',
      zoneId: DEFAULT_ZONE_ID,
      attempt: 1,
    });
    expect(s.count('PATCH', DEFAULT_ZONE_ID)).toBe(1);
    expect(s.count('GET')).toBe(0);
  });

  it('reads the setting with the legacy email and key pair', async () => {
    const s = await start({ zones: { [DEFAULT_ZONE_ID]: { name: 'example.com', enabled: true } } });
    const { status, body } = await call(settingUrl(s), {
      headers: { 'x-auth-email': s.email, 'x-auth-key': s.key },
    });

    expect(status).toBe(200);
    expect(body.result).toEqual({ ...UNCHANGED, enabled: true });
  });

  it.each([
    [
      'no auth headers',
      {},
      400,
      { code: 9106, message: 'Missing X-Auth-Key, X-Auth-Email or Authorization headers' },
    ],
    [
      'a malformed Authorization header',
      { authorization: `Token ${TOKEN}` },
      400,
      {
        code: 6003,
        message: 'Invalid request headers',
        error_chain: [{ code: 6111, message: 'Invalid format for Authorization header' }],
      },
    ],
    [
      'an unknown token',
      { authorization: 'Bearer not-the-token' },
      403,
      { code: 10000, message: 'Authentication error' },
    ],
    [
      'an email without a key',
      { 'x-auth-email': 'demo@example.com' },
      403,
      { code: 9103, message: 'Unknown X-Auth-Key or X-Auth-Email' },
    ],
    [
      'a wrong key',
      { 'x-auth-email': 'demo@example.com', 'x-auth-key': 'wrong' },
      403,
      { code: 9103, message: 'Unknown X-Auth-Key or X-Auth-Email' },
    ],
  ])('rejects %s', async (_, headers: Record<string, string>, status, error) => {
    const s = await start();
    const answer = await call(settingUrl(s), { headers });

    expect(answer.status).toBe(status);
    expect(answer.body).toEqual(failure([error]));
  });

  it('answers 7003 and 7000 for a zone id that is not 32 lowercase hex digits', async () => {
    const s = await start();
    const id = DEFAULT_ZONE_ID.toUpperCase();
    const { status, body } = await call(settingUrl(s, id), { headers: BEARER });

    expect(status).toBe(400);
    expect(body).toEqual(
      failure([
        {
          code: 7003,
          message: `Could not route to /zones/${id}/settings/auto_origin_tls_kex, perhaps your object identifier is invalid?`,
        },
        { code: 7000, message: 'No route for that URI' },
      ]),
    );
  });

  it('answers 9109 for a zone the token cannot see', async () => {
    const s = await start();
    const { status, body } = await call(settingUrl(s, OTHER_ZONE_ID), { headers: BEARER });

    expect(status).toBe(403);
    expect(body).toEqual(
      failure([{ code: 9109, message: 'Unauthorized to access requested resource' }]),
    );
  });

  it.each([
    [
      'a body without enabled',
      JSON_BEARER,
      '{}',
      [{ code: 1009, message: "Missing field 'enabled' in JSON body" }],
    ],
    [
      'a string for enabled',
      JSON_BEARER,
      '{"enabled":"true"}',
      [{ code: 1009, message: "Invalid type for field 'enabled', expected boolean" }],
    ],
    [
      'an unknown field',
      JSON_BEARER,
      '{"enabled":true,"value":"on"}',
      [{ code: 1009, message: "Unknown field 'value'" }],
    ],
    [
      'malformed JSON',
      JSON_BEARER,
      '{"enabled":',
      [{ code: 6007, message: 'Malformed JSON in request body' }],
    ],
    [
      'a body sent as text/plain',
      { ...BEARER, 'content-type': 'text/plain' },
      '{"enabled":true}',
      [
        {
          code: 6003,
          message: 'Invalid request headers',
          error_chain: [
            {
              code: 6105,
              message:
                'Invalid Content-Type header, valid values are application/json,multipart/form-data',
            },
          ],
        },
      ],
    ],
  ])(
    'refuses a PATCH with %s, answering the unchanged state in result',
    async (_, headers, payload, errors) => {
      const s = await start();
      const { status, body } = await call(settingUrl(s), {
        method: 'PATCH',
        headers,
        body: payload,
      });

      expect(status).toBe(400);
      expect(body).toEqual(failure(errors, UNCHANGED));
      expect(s.zones[DEFAULT_ZONE_ID]?.enabled).toBe(false);
    },
  );

  it('answers 404 code 7000 outside the API base path', async () => {
    const s = await start();
    const { status, body } = await call(`http://127.0.0.1:${s.port}/v4/zones`, { headers: BEARER });

    expect(status).toBe(404);
    expect(body).toEqual(failure([{ code: 7000, message: 'No route for that URI' }]));
  });
});

describe('zone lookup by name', () => {
  const zones = {
    [DEFAULT_ZONE_ID]: { name: 'example.com' },
    [OTHER_ZONE_ID]: { name: 'example.com', accountId: OTHER_ACCOUNT_ID },
    aaaabbbbccccddddeeeeffff00001111: { name: 'shop.example' },
  };
  const lookup = async (s: StandIn, query: string) => {
    const { status, body } = await call(`${s.url}/zones?${query}`, { headers: BEARER });
    expect(status).toBe(200);
    return body as CfBody & { result: { id: string; account: { id: string } }[] };
  };

  it('lists the one zone with that exact name', async () => {
    const s = await start({ zones });
    const body = await lookup(s, 'name=shop.example');

    expect(body).toEqual({
      success: true,
      errors: [],
      messages: [],
      result: [
        {
          id: 'aaaabbbbccccddddeeeeffff00001111',
          name: 'shop.example',
          status: 'active',
          account: { id: DEFAULT_ACCOUNT_ID, name: 'Demo account' },
        },
      ],
      result_info: { page: 1, per_page: 20, count: 1, total_count: 1, total_pages: 1 },
    });
  });

  it('lists nothing for an unknown name and both zones for a shared name', async () => {
    const s = await start({ zones });

    expect((await lookup(s, 'name=nope.example')).result).toEqual([]);
    expect((await lookup(s, 'name=example.com')).result.map((zone) => zone.id)).toEqual([
      DEFAULT_ZONE_ID,
      OTHER_ZONE_ID,
    ]);
  });

  it('limits the lookup to account.id', async () => {
    const s = await start({ zones });
    const body = await lookup(s, `name=example.com&account.id=${OTHER_ACCOUNT_ID}`);

    expect(body.result.map((zone) => [zone.id, zone.account.id])).toEqual([
      [OTHER_ZONE_ID, OTHER_ACCOUNT_ID],
    ]);
    expect(s.requests[0]?.query.get('account.id')).toBe(OTHER_ACCOUNT_ID);
  });
});

describe('rate limit', () => {
  it('announces the quota and answers 429 with Retry-After over the limit', async () => {
    const s = await start({ rateLimit: { limit: 2, windowSeconds: 60 } });
    const answers = [];
    for (let i = 0; i < 3; i += 1) answers.push(await call(settingUrl(s), { headers: BEARER }));
    const [first, second, third] = answers;

    expect(first?.headers.get('ratelimit')).toBe('"default";r=1;t=60');
    expect(first?.headers.get('ratelimit-policy')).toBe('"default";q=2;w=60');
    expect(second?.headers.get('ratelimit')).toMatch(/^"default";r=0;t=(59|60)$/);
    expect(third?.status).toBe(429);
    expect(Number(third?.headers.get('retry-after'))).toBeGreaterThanOrEqual(59);
    expect(third?.body).toEqual(
      failure([{ code: 971, message: 'Please wait and consider throttling your request speed' }]),
    );
    expect(s.rateLimited).toBe(1);
  });
});

describe('handle hook', () => {
  it('answers a canned reply first and falls through when it returns undefined', async () => {
    const handle = jest.fn((req: StandIn['requests'][number]) =>
      req.attempt === 1
        ? {
            status: 502,
            headers: { 'Content-Type': 'text/html' },
            body: '<html>502 Bad Gateway</html>',
          }
        : undefined,
    );
    const s = await start({ handle });

    const first = await fetch(settingUrl(s), { headers: BEARER });
    const second = await call(settingUrl(s), { headers: BEARER });

    expect(first.status).toBe(502);
    expect(first.headers.get('content-type')).toBe('text/html');
    expect(await first.text()).toBe('<html>502 Bad Gateway</html>');
    expect(second.body.result).toEqual(UNCHANGED);
    expect(handle.mock.calls.map(([req]) => req.attempt)).toEqual([1, 2]);
  });

  it('keeps a hung request open until close, which ends it', async () => {
    const s = await start({ handle: () => ({ hang: true }) });
    const pending = fetch(settingUrl(s), { headers: BEARER });
    while (s.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));

    await s.close();

    await expect(pending).rejects.toThrow('fetch failed');
  });

  it('resets the connection when asked to destroy it', async () => {
    const s = await start({ handle: () => ({ destroy: true }) });

    await expect(fetch(settingUrl(s), { headers: BEARER })).rejects.toMatchObject({
      cause: { code: 'ECONNRESET' },
    });
  });

  it('announces a longer body than it sends when stalling', async () => {
    const s = await start({ handle: () => ({ stallAfterBytes: 12 }) });
    const response = await fetch(settingUrl(s), { headers: BEARER });
    const text = response.text();

    expect(Number(response.headers.get('content-length'))).toBeGreaterThan(12);
    await s.close();
    await expect(text).rejects.toThrow('terminated');
  });
});

describe('parseOutputs', () => {
  it('reads plain lines and heredoc blocks as the runner does', () => {
    const text =
      'enabled=true\nresults<<ghadelimiter_1\n[\n  {"zone_id": "x=y"}\n]\nghadelimiter_1\nchanged=\n';

    expect(parseOutputs(text)).toEqual({
      enabled: 'true',
      results: '[\n  {"zone_id": "x=y"}\n]',
      changed: '',
    });
  });

  it('throws on a heredoc block without its closing delimiter', () => {
    expect(() => parseOutputs('results<<EOF\n[]\n')).toThrow("Matching delimiter not found 'EOF'");
  });
});
