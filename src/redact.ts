/** Replaces every known secret in a text with ***: a last guard for local runs, where no runner masks. */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const values = [...new Set(secrets.filter((secret) => secret.length >= 4))].sort(
    (a, b) => b.length - a.length,
  );
  return (text) => values.reduce((masked, secret) => masked.split(secret).join('***'), text);
}
