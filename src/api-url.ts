const LOOPBACK = /^(localhost\.?|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** Parses api_url: https anywhere, plain http only to loopback so a credential never crosses a network in clear. */
export function parseApiUrl(raw: string): { apiUrl?: string; problems: string[] } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // What precedes an @ may be a password: never quote it.
    const shown = raw.includes('@') ? '' : ` "${raw.slice(0, 100)}"`;
    return {
      problems: [
        `api_url${shown} is not a URL: expected e.g. https://api.cloudflare.com/client/v4`,
      ],
    };
  }
  if (url.username !== '' || url.password !== '') {
    return {
      problems: [
        'api_url must not contain credentials: pass them as token, or api_email and api_key',
      ],
    };
  }
  if (url.search !== '' || url.hash !== '') {
    return {
      problems: [`api_url "${url.origin}${url.pathname}…" must not have a query or fragment`],
    };
  }
  if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname)) {
    return {
      problems: [
        `api_url uses http to ${url.hostname}: use https (plain http is allowed only to localhost, 127.0.0.0/8 or [::1])`,
      ],
    };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { problems: [`api_url has scheme ${url.protocol.replace(':', '')}: expected https`] };
  }
  return { apiUrl: `${url.origin}${url.pathname.replace(/\/+$/, '')}`, problems: [] };
}

/** Joins the base URL and an API path without doubled slashes. */
export function joinUrl(apiUrl: string, path: string): string {
  return `${apiUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
