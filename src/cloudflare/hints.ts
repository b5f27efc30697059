// Cloudflare documents no permission for this endpoint; this is the expected one (see README).
const PERMISSION =
  'Zone > SSL and Certificates on this zone (Edit to apply, Read to check or read)';

// What to do, by Cloudflare error code: the codes users meet most with this endpoint.
const BY_CODE: Record<number, string> = {
  971: 'Cloudflare rate-limited the token: lower concurrency, or spread large fleets across jobs further apart',
  1009: 'Cloudflare rejected the request body: please report this as a bug in the action',
  6003: 'Cloudflare found the credentials malformed: the secret should hold the token (or key) alone, with no "Bearer " prefix or quotes',
  6007: 'Cloudflare rejected the request body: please report this as a bug in the action',
  6111: 'the Authorization header was malformed: the secret should hold the API token alone',
  7000: 'Cloudflare has no such route: check api_url (it ends in /client/v4) and zone_id',
  7003: "check zone_id: it is the 32-hex-digit Zone ID from the zone's Overview page",
  9103: 'the legacy credentials were refused: check api_email and api_key, or use an API token instead',
  9106: 'no credentials reached Cloudflare: check the token secret is set for this workflow',
  9109: `the token cannot access this zone: check zone_id, and give the token ${PERMISSION}`,
  10000: `the token is invalid, expired, IP-restricted or lacks permission: verify it (GET /user/tokens/verify) and give it ${PERMISSION}`,
};

/** One short "what to do" for a failed answer, or undefined when nothing useful can be said. */
export function hintFor(status: number, codes: number[]): string | undefined {
  for (const code of codes) {
    const hint = BY_CODE[code];
    if (hint !== undefined) return hint;
  }
  if (status === 429) return BY_CODE[971];
  if (status === 401 || status === 403)
    return `check the token is valid and ${PERMISSION.replace('give the token', 'has')}`;
  if (status >= 500)
    return "the failure is on Cloudflare's side: re-run the job later, and check https://www.cloudflarestatus.com";
  return undefined;
}
