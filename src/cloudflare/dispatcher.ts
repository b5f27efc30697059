import { StepError } from '../errors.js';
import { Agent, type Dispatcher, EnvHttpProxyAgent } from './undici.js';

export interface Connection {
  dispatcher: Dispatcher;
  /** The proxy settings without credentials, for one log line; empty when no proxy is set. */
  proxies: string[];
  /** Proxy passwords, to mask. */
  secrets: string[];
}

/**
 * One connection pool for the whole run (keep-alive across a fleet). Proxies come from the environment,
 * chosen and bypassed (NO_PROXY) as undici's EnvHttpProxyAgent does, which follows curl. TLS is always
 * verified; NODE_EXTRA_CA_CERTS is honoured by Node itself.
 */
export function createConnection(
  timeoutSeconds: number,
  env: NodeJS.ProcessEnv = process.env,
): Connection {
  // Verification is explicit so that NODE_TLS_REJECT_UNAUTHORIZED=0 in the job cannot switch it off.
  const tls = { rejectUnauthorized: true };
  const options = {
    connect: { timeout: Math.min(10_000, timeoutSeconds * 1000), ...tls },
    requestTls: tls,
    proxyTls: tls,
    keepAliveTimeout: 10_000,
  };
  // As undici and curl read them: the lower-case name first.
  const chosen = {
    https: firstSet(env, 'https_proxy', 'HTTPS_PROXY'),
    http: firstSet(env, 'http_proxy', 'HTTP_PROXY'),
  };
  if (chosen.https === undefined && chosen.http === undefined) {
    return { dispatcher: new Agent(options), proxies: [], secrets: [] };
  }

  const secrets: string[] = [];
  const proxies: string[] = [];
  const proxyUrl = (variable: { name: string; value: string } | undefined): string | undefined => {
    if (variable === undefined) return undefined;
    // curl takes host:port without a scheme as an http proxy, and so do self-hosted runners' settings.
    const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(variable.value)
      ? variable.value
      : `http://${variable.value}`;
    const url = parseUrl(text);
    if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new StepError(
        `${variable.name} is not an http:// or https:// proxy URL: expected e.g. http://proxy.example.com:3128`,
      );
    }
    if (url.password !== '') secrets.push(url.password, safeDecode(url.password));
    proxies.push(`${variable.name}=${url.origin}`);
    return url.href;
  };
  const httpsProxy = proxyUrl(chosen.https);
  const httpProxy = proxyUrl(chosen.http);
  const noProxy = env.no_proxy ?? env.NO_PROXY;
  if (noProxy) proxies.push(`NO_PROXY=${noProxy}`);
  return {
    dispatcher: withoutExperimentalWarning(
      // As undici does: an https target without an https proxy goes through the http one.
      () => new EnvHttpProxyAgent({ ...options, httpProxy, httpsProxy: httpsProxy ?? httpProxy }),
    ),
    proxies,
    secrets,
  };
}

function firstSet(
  env: NodeJS.ProcessEnv,
  ...names: string[]
): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = env[name];
    if (value) return { name, value };
  }
  return undefined;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

// undici 6 marks EnvHttpProxyAgent experimental with a stderr warning that would alarm users for nothing.
function withoutExperimentalWarning<T>(create: () => T): T {
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const code = (rest[0] as { code?: string } | undefined)?.code;
    if (code !== 'UNDICI-EHPA')
      (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return create();
  } finally {
    process.emitWarning = emitWarning;
  }
}
