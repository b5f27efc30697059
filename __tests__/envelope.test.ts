import { describe, expect, it } from '@jest/globals';
import { failure, parseEnvelope } from '../src/cloudflare/envelope.js';

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
  status,
  headers: { 'content-type': 'application/json', 'cf-ray': '8f1e2d3c4b5a6978-LHR', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

describe('parseEnvelope', () => {
  it('keeps success, errors with their chains, messages and result', () => {
    const envelope = parseEnvelope(
      json(200, {
        success: true,
        errors: [],
        messages: [{ code: 1000, message: 'Scan scheduled' }],
        result: { enabled: true },
      }),
    );
    expect(envelope.success).toBe(true);
    expect(envelope.messages).toEqual([{ code: 1000, message: 'Scan scheduled', chain: [] }]);
    expect(envelope.result).toEqual({ enabled: true });
  });

  it('names an HTML body: status, not JSON, content type, a short excerpt and the ray', () => {
    const html = `<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>${'x'.repeat(500)}</body></html>`;
    expect(() =>
      parseEnvelope(
        { ...json(502, html), headers: { 'content-type': 'text/html', 'cf-ray': 'abc-IAD' } },
        4,
      ),
    ).toThrow(
      /^HTTP 502 bad gateway after 4 attempts from Cloudflare: the body was not JSON \(text\/html\): "<!DOCTYPE html><html><head><title>502 Bad Gateway<\/title>.{100,}…" \(cf-ray abc-IAD\)\. The failure is on Cloudflare's side/,
    );
  });

  it('names truncated JSON, an empty body, JSON that is not an object, and a missing success', () => {
    expect(() => parseEnvelope(json(200, '{"success":true,"res'))).toThrow(
      'the body was truncated or invalid JSON',
    );
    expect(() => parseEnvelope(json(200, ''))).toThrow(
      'HTTP 200 from Cloudflare: the body was empty (application/json)',
    );
    expect(() => parseEnvelope(json(200, '[1,2]'))).toThrow('the body was JSON but not an object');
    expect(() => parseEnvelope(json(200, { result: {} }))).toThrow(
      'the answer has no boolean "success" field',
    );
  });
});

describe('failure', () => {
  it('names the status, every code and message with error_chain and docs, the ray, and what to do', () => {
    const answer = json(400, {
      success: false,
      errors: [
        {
          code: 6003,
          message: 'Invalid request headers',
          error_chain: [{ code: 6111, message: 'Invalid format for Authorization header' }],
        },
        {
          code: 1009,
          message: "Missing field 'enabled' in JSON body",
          documentation_url: 'https://developers.cloudflare.com/x',
        },
      ],
      messages: [],
      result: null,
    });
    const error = failure(answer, parseEnvelope(answer));
    expect(error.message).toBe(
      'HTTP 400 bad request from Cloudflare: 6003 Invalid request headers (6111 Invalid format for Authorization header); 1009 Missing field \'enabled\' in JSON body [docs: https://developers.cloudflare.com/x] (cf-ray 8f1e2d3c4b5a6978-LHR). Cloudflare found the credentials malformed: the secret should hold the token (or key) alone, with no "Bearer " prefix or quotes',
    );
    expect(error.codes).toEqual([6003, 6111, 1009]);
  });

  it('explains success:false on HTTP 200 with the code and a permission hint', () => {
    const answer = json(200, {
      success: false,
      errors: [{ code: 9109, message: 'Unauthorized to access requested resource' }],
      messages: [],
      result: null,
    });
    expect(failure(answer, parseEnvelope(answer)).message).toMatch(
      /^HTTP 200 from Cloudflare: 9109 Unauthorized to access requested resource \(cf-ray 8f1e2d3c4b5a6978-LHR\)\. The token cannot access this zone: .*SSL and Certificates on this zone \(Edit to apply/,
    );
  });
});

describe('answers that are not the API', () => {
  it('names a redirect and points at api_url', () => {
    expect(() =>
      parseEnvelope({ status: 302, headers: { location: 'https://example.com/login' }, body: '' }),
    ).toThrow(
      'HTTP 302 from Cloudflare: a redirect to https://example.com/login, which the API never sends: check api_url',
    );
  });

  it('names a compressed body nobody asked for instead of quoting its bytes', () => {
    expect(() =>
      parseEnvelope(json(200, '\u001f\u008b\u0008\u0000binary', { 'content-encoding': 'gzip' })),
    ).toThrow('the body was compressed (content-encoding: gzip), which the action did not ask for');
  });

  it('reads JSON after a byte-order mark', () => {
    expect(
      parseEnvelope(json(200, `\uFEFF${JSON.stringify({ success: true, result: {} })}`)).success,
    ).toBe(true);
  });

  it('keeps line breaks and control bytes from Cloudflare out of the one line', () => {
    const answer = json(400, {
      success: false,
      errors: [{ code: 1000, message: `bad\n::error::injected\r\n${'x'.repeat(500)}` }],
    });
    const message = failure(answer, parseEnvelope(answer)).message;
    expect(message).not.toMatch(/[\r\n]/);
    expect(message).toContain('1000 bad ::error::injected x');
    expect(message.length).toBeLessThan(600);
  });
});
