import { describe, expect, it } from '@jest/globals';
import { joinUrl, parseApiUrl } from '../src/api-url.js';

describe('parseApiUrl', () => {
  it('accepts https and drops trailing slashes', () => {
    expect(parseApiUrl('https://api.cloudflare.com/client/v4//')).toEqual({
      apiUrl: 'https://api.cloudflare.com/client/v4',
      problems: [],
    });
  });

  it.each([
    'http://127.0.0.1:8787/client/v4',
    'http://localhost/x',
    'http://[::1]:9/',
    'http://127.8.9.10',
  ])('accepts plain http to loopback: %s', (url) => {
    expect(parseApiUrl(url).problems).toEqual([]);
  });

  it.each([
    'http://api.cloudflare.com/client/v4',
    'http://10.0.0.1/',
    'http://localhost.evil.com/',
  ])('refuses plain http off the machine: %s', (url) => {
    expect(parseApiUrl(url).problems[0]).toContain('use https');
  });

  it('refuses other schemes, credentials in the URL, and non-URLs', () => {
    expect(parseApiUrl('ftp://example.com').problems[0]).toContain('scheme ftp');
    expect(parseApiUrl('https://user:pw@example.com').problems[0]).toContain(
      'must not contain credentials',
    );
    expect(parseApiUrl('api.cloudflare.com').problems[0]).toContain('is not a URL');
  });

  it('never quotes an unparsable URL that may hold a password', () => {
    expect(parseApiUrl('https://user:hunter2secret@').problems).toEqual([
      'api_url is not a URL: expected e.g. https://api.cloudflare.com/client/v4',
    ]);
  });
});

describe('joinUrl', () => {
  it('joins without doubled slashes', () => {
    expect(joinUrl('https://a.example/client/v4/', '/zones/1')).toBe(
      'https://a.example/client/v4/zones/1',
    );
    expect(joinUrl('https://a.example/client/v4', 'zones/1')).toBe(
      'https://a.example/client/v4/zones/1',
    );
  });
});
