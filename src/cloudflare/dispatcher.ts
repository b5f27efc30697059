import { StepError } from '../errors.js';
import { Agent, type Dispatcher, EnvHttpProxyAgent } from './undici.js';

const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'] as const;

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
  const set = PROXY_VARIABLES.filter((name) => (env[name] ?? '') !== '');
  if (set.length === 0) return { dispatcher: new Agent(options), proxies: [], secrets: [] };

  const secrets: string[] = [];
  const proxies = set.map((name) => {
    const url = parseUrl(env[name] ?? '');
    if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new StepError(
        `${name} is not an http:// or https:// proxy URL: expected e.g. http://proxy.example.com:3128`,
      );
    }
    if (url.password !== '') secrets.push(url.password, safeDecode(url.password));
    return `${name}=${url.origin}`;
  });
  const noProxy = env.no_proxy ?? env.NO_PROXY;
  if (noProxy) proxies.push(`NO_PROXY=${noProxy}`);
  return {
    dispatcher: withoutExperimentalWarning(() => new EnvHttpProxyAgent(options)),
    proxies,
    secrets,
  };
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
