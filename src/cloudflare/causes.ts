interface Cause {
  code?: string;
  message: string;
  address?: string;
  port?: number;
  hostname?: string;
}

function asCause(value: unknown): Cause | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  return {
    code: typeof record.code === 'string' ? record.code : undefined,
    message: typeof record.message === 'string' ? record.message : String(value),
    address: typeof record.address === 'string' ? record.address : undefined,
    port: typeof record.port === 'number' ? record.port : undefined,
    hostname: typeof record.hostname === 'string' ? record.hostname : undefined,
  };
}

/** The innermost causes of a network error: follows `cause` chains and every `AggregateError` entry (one per address tried). */
function rootCauses(error: unknown, depth = 0): Cause[] {
  if (depth > 8 || typeof error !== 'object' || error === null) return [];
  const nested: unknown[] = [];
  if (error instanceof AggregateError) nested.push(...error.errors);
  const cause = (error as { cause?: unknown }).cause;
  if (cause !== undefined) nested.push(cause);
  const inner = nested.flatMap((entry) => rootCauses(entry, depth + 1));
  if (inner.length > 0) return inner;
  const self = asCause(error);
  return self ? [self] : [];
}

const CERTIFICATE_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS/;

/** One line naming each real cause: `ECONNREFUSED 127.0.0.1:443`, `self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)`. */
export function describeCauses(error: unknown): {
  text: string;
  codes: string[];
  certificate: boolean;
  hostname: string | undefined;
} {
  const causes = rootCauses(error);
  const codes = [...new Set(causes.flatMap((cause) => (cause.code ? [cause.code] : [])))];
  const parts = [
    ...new Set(
      causes.map((cause) => {
        // Node's own advice (--use-system-ca) is a flag an action cannot pass: left out.
        if (cause.code && CERTIFICATE_CODES.test(cause.code))
          return `${cause.message.replace(/;\s*if the root CA is installed locally.*$/, '')} (${cause.code})`;
        if (cause.code && cause.address) {
          const host = cause.address.includes(':') ? `[${cause.address}]` : cause.address;
          return `${cause.code} ${host}${cause.port === undefined ? '' : `:${cause.port}`}`;
        }
        if (cause.code && !cause.message.includes(cause.code))
          return `${cause.code} ${cause.message}`;
        return cause.message;
      }),
    ),
  ];
  return {
    text: parts.join('; ') || 'unknown network error',
    codes,
    certificate: codes.some((code) => CERTIFICATE_CODES.test(code)),
    hostname: causes.find((cause) => cause.hostname !== undefined)?.hostname,
  };
}
