import { describe, expect, it } from '@jest/globals';
import { authHeaders, parseCredentials } from '../src/credentials.js';

const none = { token: '', apiEmail: '', apiKey: '' };

describe('parseCredentials', () => {
  it('prefers the token and sends it as a Bearer header', () => {
    const { credentials, problems } = parseCredentials({ ...none, token: 'abc_DEF-123' });
    expect(problems).toEqual([]);
    expect(credentials && authHeaders(credentials)).toEqual({
      authorization: 'Bearer abc_DEF-123',
    });
  });

  it('uses the legacy pair as X-Auth-Email and X-Auth-Key', () => {
    const { credentials } = parseCredentials({
      token: '',
      apiEmail: 'ops@example.com',
      apiKey: 'k3y',
    });
    expect(credentials && authHeaders(credentials)).toEqual({
      'x-auth-email': 'ops@example.com',
      'x-auth-key': 'k3y',
    });
  });

  it('warns and uses the token when the legacy pair is also set', () => {
    const { credentials, warnings } = parseCredentials({
      token: 'tok',
      apiEmail: 'ops@example.com',
      apiKey: 'k3y',
    });
    expect(credentials).toEqual({ scheme: 'token', token: 'tok' });
    expect(warnings).toEqual([expect.stringContaining('api_email and api_key are ignored')]);
  });

  it('says which inputs to set, and mentions forks, when nothing is set', () => {
    const { credentials, problems } = parseCredentials(none);
    expect(credentials).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/set token .* or both api_email and api_key/);
    expect(problems[0]).toContain('forks');
  });

  it('names the missing half of the legacy pair', () => {
    expect(parseCredentials({ ...none, apiEmail: 'ops@example.com' }).problems).toEqual([
      expect.stringContaining('api_key is missing'),
    ]);
    expect(parseCredentials({ ...none, apiKey: 'k3y' }).problems).toEqual([
      expect.stringContaining('api_email is missing'),
    ]);
  });

  it('rejects a line break inside a credential without quoting it', () => {
    const { problems } = parseCredentials({ ...none, token: 'first\nsecond' });
    expect(problems).toEqual(['token contains a line break: store the secret as a single line']);
    expect(problems.join()).not.toContain('first');
  });

  it('rejects a token stored with its Bearer prefix', () => {
    expect(parseCredentials({ ...none, token: 'Bearer abc' }).problems[0]).toContain(
      'starts with "Bearer "',
    );
  });

  it('rejects characters no HTTP header can carry', () => {
    expect(parseCredentials({ ...none, token: 'tök' }).problems[0]).toContain('non-ASCII');
  });
});
