/** How the action authenticates: an API token (preferred) or the legacy email + Global API Key. */
export type Credentials =
  { scheme: 'token'; token: string } | { scheme: 'legacy'; email: string; key: string };

export interface CredentialInputs {
  token: string;
  apiEmail: string;
  apiKey: string;
}

// Header values must be visible ASCII: anything else is a paste error, and undici would reject it.
const PRINTABLE = /^[\x21-\x7e]+$/;

/** Chooses the scheme; problems never quote a credential. */
export function parseCredentials(inputs: CredentialInputs): {
  credentials?: Credentials;
  problems: string[];
  warnings: string[];
} {
  const { token, apiEmail, apiKey } = inputs;
  const problems: string[] = [];
  const warnings: string[] = [];
  const check = (name: string, value: string): void => {
    if (/[\r\n]/.test(value))
      problems.push(`${name} contains a line break: store the secret as a single line`);
    else if (!PRINTABLE.test(value))
      problems.push(
        `${name} contains spaces or non-ASCII characters: check the secret was copied whole and alone`,
      );
  };

  if (token !== '') {
    if (apiEmail !== '' || apiKey !== '') {
      warnings.push(
        'token is set, so api_email and api_key are ignored: remove them to silence this warning',
      );
    }
    if (/^bearer\s/i.test(token)) {
      problems.push(
        'token starts with "Bearer ": store only the token itself; the action adds the prefix',
      );
    } else {
      check('token', token);
    }
    return problems.length > 0
      ? { problems, warnings }
      : { credentials: { scheme: 'token', token }, problems, warnings };
  }
  if (apiEmail === '' && apiKey === '') {
    problems.push(
      'no credentials: set token (an API token, preferred) or both api_email and api_key; ' +
        'note that secrets are empty in workflows triggered from forks',
    );
    return { problems, warnings };
  }
  if (apiEmail === '')
    problems.push(
      'api_key is set but api_email is missing: the legacy scheme needs both (or use token)',
    );
  if (apiKey === '')
    problems.push(
      'api_email is set but api_key is missing: the legacy scheme needs both (or use token)',
    );
  if (problems.length > 0) return { problems, warnings };
  check('api_email', apiEmail);
  check('api_key', apiKey);
  return problems.length > 0
    ? { problems, warnings }
    : { credentials: { scheme: 'legacy', email: apiEmail, key: apiKey }, problems, warnings };
}

export function authHeaders(credentials: Credentials): Record<string, string> {
  return credentials.scheme === 'token'
    ? { authorization: `Bearer ${credentials.token}` }
    : { 'x-auth-email': credentials.email, 'x-auth-key': credentials.key };
}
