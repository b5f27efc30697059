// Bundled in place of @actions/http-client (tsconfig.json "paths"), which @actions/core loads only
// for getIDToken (OIDC). This action never asks for an OIDC token, and the real client pulled all of
// undici in at start-up: 25 ms and 7 MB on Node 24 (docs/BENCHMARKS.md). Using it fails loudly.
function notBundled(): never {
  throw new Error(
    '@actions/http-client is not bundled: auto-origin-tls-kex-action does not use OIDC',
  );
}

export const HttpClient = notBundled;
export const BearerCredentialHandler = notBundled;
