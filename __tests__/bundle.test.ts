import { describe, expect, it } from '@jest/globals';
import { builtinModules } from 'node:module';
import { readFileSync, readdirSync } from 'node:fs';

const dist = new URL('../dist/', import.meta.url);
const bundle = readFileSync(new URL('index.js', dist), 'utf8');

// What keeps the cold step at the floor (docs/BENCHMARKS.md) is what the bundle leaves out: a
// dependency bump that brings it back must fail here, not only show in the next benchmark.
describe('dist/', () => {
  it('is one file that loads nothing but Node built-ins', () => {
    expect(readdirSync(dist).filter((name) => name.endsWith('.js'))).toEqual(['index.js']);
    const required = [...bundle.matchAll(/createRequire\(import\.meta\.url\)\("([^"]+)"\)/g)].map(
      (match) => match[1]?.replace(/^node:/, '') ?? '',
    );
    expect(required.length).toBeGreaterThan(0);
    expect(required.filter((name) => !builtinModules.includes(name))).toEqual([]);
  });

  it("leaves out undici's root (fetch, WebSocket, mocks) and the real @actions/http-client", () => {
    for (const marker of [
      'setGlobalDispatcher',
      'MockAgent',
      'class WebSocket',
      'HttpClientError',
      'tunneling socket could not be established',
    ]) {
      expect(bundle).not.toContain(marker);
    }
  });

  it('keeps the parts of undici the action uses', () => {
    for (const marker of [
      'class Agent',
      'class EnvHttpProxyAgent',
      'class ProxyAgent',
      'class RequestHandler',
    ]) {
      expect(bundle).toContain(marker);
    }
  });
});
