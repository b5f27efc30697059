import { describe, expect, it } from '@jest/globals';
import { describeCauses } from '../src/cloudflare/causes.js';

const sysError = (code: string, address?: string, port?: number) =>
  Object.assign(new Error(`connect ${code} ${address}:${port}`), { code, address, port });

describe('describeCauses', () => {
  it('walks cause chains to the system error and names its address', () => {
    const error = new TypeError('fetch failed', {
      cause: sysError('ECONNREFUSED', '127.0.0.1', 443),
    });
    expect(describeCauses(error)).toMatchObject({
      text: 'ECONNREFUSED 127.0.0.1:443',
      codes: ['ECONNREFUSED'],
      certificate: false,
    });
  });

  it('lists every address of an AggregateError (one per address family tried)', () => {
    const error = new AggregateError([
      sysError('ECONNREFUSED', '::1', 443),
      sysError('ETIMEDOUT', '127.0.0.1', 443),
    ]);
    expect(describeCauses(error).text).toBe('ECONNREFUSED [::1]:443; ETIMEDOUT 127.0.0.1:443');
  });

  it('names certificate failures by message and code', () => {
    const error = Object.assign(new Error('self-signed certificate'), {
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
    expect(describeCauses(error)).toMatchObject({
      text: 'self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)',
      certificate: true,
    });
  });

  it('keeps undici codes such as UND_ERR_CONNECT_TIMEOUT', () => {
    const error = Object.assign(new Error('Connect Timeout Error'), {
      code: 'UND_ERR_CONNECT_TIMEOUT',
    });
    expect(describeCauses(error).text).toBe('UND_ERR_CONNECT_TIMEOUT Connect Timeout Error');
  });
});
