import { randomBytes } from 'node:crypto';
import { realpathSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

/**
 * @typedef {object} Zone
 * @property {string} name
 * @property {boolean} enabled
 * @property {string} modifiedOn
 * @property {string} accountId
 */

/**
 * @typedef {object} RecordedRequest
 * @property {string} method
 * @property {string} path Full path as received (basePath included), without the query.
 * @property {URLSearchParams} query
 * @property {Record<string, string>} headers Lower-cased names.
 * @property {string} body
 * @property {string | null} zoneId The path's zone segment on the setting route, else null.
 * @property {number} attempt 1-based count of requests so far with the same method and path.
 * @property {number} time When the request's body had arrived (Date.now()).
 */

/**
 * A fault or canned answer from `handle`. With neither `status` nor `body`, the normal answer is
 * sent (after `delayMs`, with `headers` added, cut by `stallAfterBytes`).
 * @typedef {object} Reply
 * @property {number} [status]
 * @property {Record<string, string>} [headers]
 * @property {string | object} [body] A string is sent raw, anything else as JSON.
 * @property {number} [delayMs]
 * @property {boolean} [hang] Never answer (until close).
 * @property {number} [stallAfterBytes] Announce the full length, send only this many bytes, hang.
 * @property {boolean} [destroy] Reset the connection instead of answering.
 */

/**
 * @typedef {object} StandInOptions
 * @property {string} [host]
 * @property {number} [port]
 * @property {string} [basePath]
 * @property {string} [token]
 * @property {string} [email]
 * @property {string} [key]
 * @property {Record<string, { name: string, enabled?: boolean, modifiedOn?: string, accountId?: string }>} [zones]
 * @property {{ limit: number, windowSeconds: number }} [rateLimit]
 * @property {(req: RecordedRequest) => Reply | undefined | Promise<Reply | undefined>} [handle]
 * @property {{ key: string | Buffer, cert: string | Buffer }} [tls]
 */

/**
 * @typedef {object} StandIn
 * @property {string} url
 * @property {number} port
 * @property {string} token
 * @property {string} email
 * @property {string} key
 * @property {RecordedRequest[]} requests
 * @property {(method: string, zoneId?: string) => number} count
 * @property {Record<string, Zone>} zones
 * @property {number} rateLimited
 * @property {() => Promise<void>} close
 */

/** @typedef {{ code: number, message: string, error_chain?: { code: number, message: string }[] }} CfError */
/** @typedef {{ status: number, headers: Record<string, string>, body: string }} Answer */

export const DEFAULT_ZONE_ID = '023e105f4ecef8ad9ca31a8372d0c353';
export const DEFAULT_ACCOUNT_ID = '01a7362d577a6c3019a474fd6f485823';
const DEFAULT_MODIFIED_ON = '2014-01-01T05:20:00.12345Z';
const SETTING_ROUTE = /^\/zones\/([^/]+)\/settings\/auto_origin_tls_kex$/;
const NO_ROUTE = { code: 7000, message: 'No route for that URI' };

/**
 * @param {number} code
 * @param {string} message
 * @returns {CfError}
 */
const cfError = (code, message) => ({ code, message });

/**
 * @param {number} status
 * @param {unknown} body
 * @returns {Answer}
 */
const json = (status, body) => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/**
 * @param {number} status
 * @param {CfError[]} errors
 * @param {unknown} [result]
 */
const failure = (status, errors, result = null) =>
  json(status, { success: false, errors, messages: [], result });

/**
 * @param {unknown} result
 * @param {object} [extra]
 */
const success = (result, extra = {}) =>
  json(200, { success: true, errors: [], messages: [], result, ...extra });

/** @param {{ limit: number, windowSeconds: number }} policy */
function rateLimiter({ limit, windowSeconds }) {
  const windowMs = windowSeconds * 1000;
  let start = -1;
  let used = 0;
  return () => {
    const now = Date.now();
    if (start < 0) start = now;
    if (now - start >= windowMs) {
      start += Math.floor((now - start) / windowMs) * windowMs;
      used = 0;
    }
    used += 1;
    const reset = Math.max(1, Math.ceil((start + windowMs - now) / 1000));
    return {
      exceeded: used > limit,
      reset,
      headers: {
        ratelimit: `"default";r=${Math.max(0, limit - used)};t=${reset}`,
        'ratelimit-policy': `"default";q=${limit};w=${windowSeconds}`,
      },
    };
  };
}

/** @param {http.IncomingMessage} req */
async function readBody(req) {
  /** @type {Buffer[]} */
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * @param {StandInOptions} [options]
 * @returns {Promise<StandIn>}
 */
export async function startStandIn(options = {}) {
  const {
    host = '127.0.0.1',
    port = 0,
    token = 'demo-token-0123456789',
    email = 'demo@example.com',
    key = 'demo-global-api-key-0123456789abcdef',
    handle,
    tls,
  } = options;
  const basePath = (options.basePath ?? '/client/v4').replace(/\/+$/, '');
  /** @type {Record<string, Zone>} */
  const zones = {};
  for (const [id, zone] of Object.entries(
    options.zones ?? { [DEFAULT_ZONE_ID]: { name: 'example.com' } },
  )) {
    if (!/^[0-9a-f]{32}$/.test(id)) throw new Error(`stand-in: zone id ${id} is not 32 hex digits`);
    zones[id] = {
      name: zone.name,
      enabled: zone.enabled ?? false,
      modifiedOn: zone.modifiedOn ?? DEFAULT_MODIFIED_ON,
      accountId: zone.accountId ?? DEFAULT_ACCOUNT_ID,
    };
  }
  const takeRate = options.rateLimit ? rateLimiter(options.rateLimit) : undefined;
  /** @type {RecordedRequest[]} */
  const requests = [];
  /** @type {Map<string, number>} */
  const attempts = new Map();
  /** @type {Set<import('node:net').Socket>} */
  const sockets = new Set();
  /** @type {Set<NodeJS.Timeout>} */
  const timers = new Set();
  let rateLimited = 0;

  /** @param {Record<string, string>} headers */
  function checkAuth(headers) {
    const authorization = headers['authorization'];
    if (authorization !== undefined) {
      const bearer = /^Bearer ([\x21-\x7e]+)$/.exec(authorization);
      if (!bearer) {
        return failure(400, [
          {
            code: 6003,
            message: 'Invalid request headers',
            error_chain: [{ code: 6111, message: 'Invalid format for Authorization header' }],
          },
        ]);
      }
      return bearer[1] === token
        ? undefined
        : failure(403, [cfError(10000, 'Authentication error')]);
    }
    const [authEmail, authKey] = [headers['x-auth-email'], headers['x-auth-key']];
    if (authEmail === undefined && authKey === undefined) {
      return failure(400, [
        cfError(9106, 'Missing X-Auth-Key, X-Auth-Email or Authorization headers'),
      ]);
    }
    return authEmail === email && authKey === key
      ? undefined
      : failure(403, [cfError(9103, 'Unknown X-Auth-Key or X-Auth-Email')]);
  }

  /**
   * @param {RecordedRequest} r
   * @param {string} id
   */
  function setting(r, id) {
    if (!/^[0-9a-f]{32}$/.test(id)) {
      const message = `Could not route to /zones/${id}/settings/auto_origin_tls_kex, perhaps your object identifier is invalid?`;
      return failure(400, [cfError(7003, message), NO_ROUTE]);
    }
    if (r.method !== 'GET' && r.method !== 'PATCH') {
      return failure(405, [cfError(10405, 'Method not allowed')]);
    }
    const zone = zones[id];
    if (!zone) return failure(403, [cfError(9109, 'Unauthorized to access requested resource')]);
    const current = () => ({
      id: 'auto_origin_tls_kex',
      enabled: zone.enabled,
      modified_on: zone.modifiedOn,
    });
    if (r.method === 'GET') return success(current());
    if (!(r.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
      const contentType = {
        code: 6105,
        message:
          'Invalid Content-Type header, valid values are application/json,multipart/form-data',
      };
      const error = { code: 6003, message: 'Invalid request headers', error_chain: [contentType] };
      return failure(400, [error], current());
    }
    /** @type {unknown} */
    let patch;
    try {
      patch = JSON.parse(r.body);
    } catch {
      patch = undefined;
    }
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
      return failure(400, [cfError(6007, 'Malformed JSON in request body')], current());
    }
    const errors = Object.keys(patch)
      .filter((field) => field !== 'enabled')
      .map((field) => cfError(1009, `Unknown field '${field}'`));
    const enabled = 'enabled' in patch ? patch.enabled : undefined;
    if (enabled === undefined) {
      errors.push(cfError(1009, "Missing field 'enabled' in JSON body"));
    } else if (typeof enabled !== 'boolean') {
      errors.push(cfError(1009, "Invalid type for field 'enabled', expected boolean"));
    }
    if (typeof enabled !== 'boolean' || errors.length > 0) return failure(400, errors, current());
    zone.enabled = enabled;
    zone.modifiedOn = new Date().toISOString();
    return success(current());
  }

  /** @param {URLSearchParams} query */
  function listZones(query) {
    const [name, accountId] = [query.get('name'), query.get('account.id')];
    const result = Object.entries(zones)
      .filter(
        ([, z]) =>
          (name === null || z.name === name) && (accountId === null || z.accountId === accountId),
      )
      .map(([id, z]) => ({
        id,
        name: z.name,
        status: 'active',
        account: { id: z.accountId, name: 'Demo account' },
      }));
    const count = result.length;
    return success(result, {
      result_info: { page: 1, per_page: 20, count, total_count: count, total_pages: 1 },
    });
  }

  /**
   * @param {RecordedRequest} r
   * @returns {Answer}
   */
  function route(r) {
    if (!r.path.startsWith(`${basePath}/`)) return failure(404, [NO_ROUTE]);
    const authError = checkAuth(r.headers);
    if (authError) return authError;
    const path = r.path.slice(basePath.length);
    if (path === '/zones' && r.method === 'GET') return listZones(r.query);
    const id = SETTING_ROUTE.exec(path)?.[1];
    return id === undefined ? failure(404, [NO_ROUTE]) : setting(r, id);
  }

  /**
   * @param {RecordedRequest} r
   * @returns {Answer}
   */
  function answerNormally(r) {
    const rate = takeRate?.();
    if (!rate) return route(r);
    const answer = rate.exceeded
      ? failure(429, [cfError(971, 'Please wait and consider throttling your request speed')])
      : route(r);
    Object.assign(answer.headers, rate.headers);
    if (rate.exceeded) {
      answer.headers['retry-after'] = String(rate.reset);
      rateLimited += 1;
    }
    return answer;
  }

  /** @param {number} ms */
  const sleep = (ms) =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve(undefined);
      }, ms);
      timers.add(timer);
    });

  /**
   * @param {http.ServerResponse} res
   * @param {Answer} answer
   * @param {number} [stallAfterBytes]
   */
  function send(res, answer, stallAfterBytes) {
    const bytes = Buffer.from(answer.body, 'utf8');
    const headers = { 'cf-ray': `${randomBytes(8).toString('hex')}-LHR`, ...answer.headers };
    if (stallAfterBytes === undefined) {
      res.writeHead(answer.status, { ...headers, 'content-length': String(bytes.length) });
      res.end(bytes);
      return;
    }
    const announced = Math.max(bytes.length, stallAfterBytes + 1);
    res.writeHead(answer.status, { ...headers, 'content-length': String(announced) });
    res.write(bytes.subarray(0, stallAfterBytes));
  }

  /**
   * @param {http.IncomingMessage} req
   * @param {http.ServerResponse} res
   */
  async function onRequest(req, res) {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const method = req.method ?? 'GET';
    const path = url.pathname;
    const attempt = (attempts.get(`${method} ${path}`) ?? 0) + 1;
    attempts.set(`${method} ${path}`, attempt);
    /** @type {Record<string, string>} */
    const headers = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const routed = path.startsWith(`${basePath}/`) ? path.slice(basePath.length) : '';
    const zoneId = SETTING_ROUTE.exec(routed)?.[1] ?? null;
    /** @type {RecordedRequest} */
    const record = {
      method,
      path,
      query: url.searchParams,
      headers,
      body,
      zoneId,
      attempt,
      time: Date.now(),
    };
    requests.push(record);

    const reply = handle ? await handle(record) : undefined;
    if (reply?.delayMs) await sleep(reply.delayMs);
    if (reply?.destroy) {
      // resetAndDestroy sends a TCP RST; TLS sockets cannot, so they just close.
      try {
        req.socket.resetAndDestroy();
      } catch {
        req.socket.destroy();
      }
      return;
    }
    if (reply?.hang || res.destroyed) return;
    /** @type {Answer} */
    let answer;
    if (reply && (reply.status !== undefined || reply.body !== undefined)) {
      const raw = typeof reply.body === 'string';
      answer = {
        status: reply.status ?? 200,
        headers: raw || reply.body === undefined ? {} : { 'content-type': 'application/json' },
        body: raw ? String(reply.body) : reply.body === undefined ? '' : JSON.stringify(reply.body),
      };
    } else {
      answer = answerNormally(record);
    }
    for (const [name, value] of Object.entries(reply?.headers ?? {})) {
      answer.headers[name.toLowerCase()] = value;
    }
    send(res, answer, reply?.stallAfterBytes);
  }

  /** @type {http.RequestListener} */
  const listener = (req, res) => {
    onRequest(req, res).catch((/** @type {unknown} */ error) => {
      if (res.headersSent || res.destroyed) return;
      send(res, { status: 500, headers: {}, body: `stand-in error: ${String(error)}` });
    });
  };
  const server = tls
    ? https.createServer({ key: tls.key, cert: tls.cert }, listener)
    : http.createServer(listener);
  server.on('connection', (/** @type {import('node:net').Socket} */ socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(undefined));
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  /** @type {StandIn} */
  const standIn = {
    url: `${tls ? 'https' : 'http'}://${urlHost}:${actualPort}${basePath}`,
    port: actualPort,
    token,
    email,
    key,
    requests,
    count: (method, zoneId) =>
      requests.filter(
        (r) => r.method === method.toUpperCase() && (zoneId === undefined || r.zoneId === zoneId),
      ).length,
    zones,
    get rateLimited() {
      return rateLimited;
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
  return standIn;
}

const invokedAsScript =
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (invokedAsScript) {
  const { values } = parseArgs({ options: { port: { type: 'string' }, host: { type: 'string' } } });
  const standIn = await startStandIn({
    port: values.port === undefined ? 0 : Number(values.port),
    ...(values.host === undefined ? {} : { host: values.host }),
  });
  console.log(`stand-in listening on ${standIn.url}`);
  const stop = () => void standIn.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
