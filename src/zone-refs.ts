/** One zone the user named: by ID, or by name to be looked up. */
export type ZoneRef =
  { zoneId: string; zoneName?: undefined } | { zoneName: string; zoneId?: undefined };

const ZONE_ID = /^[0-9a-f]{32}$/i;
// An apex domain: dot-separated labels of letters, digits and inner hyphens (IDNs as punycode).
const ZONE_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;

function splitList(raw: string): string[] {
  return raw.split(/[\s,]+/).filter((entry) => entry !== '');
}

/** Parses zone_id: IDs in either case, sent lower-cased, duplicates removed; every bad entry named. */
export function parseZoneIds(raw: string): { zoneIds: string[]; problems: string[] } {
  const entries = splitList(raw);
  const problems = entries
    .filter((entry) => !ZONE_ID.test(entry))
    .map((entry) => describeBadZoneId(entry, entries.length > 1));
  const zoneIds = [...new Set(entries.map((entry) => entry.toLowerCase()))];
  return { zoneIds: problems.length === 0 ? zoneIds : [], problems };
}

/** An entry as quoted in a message: never a whole page of pasted text. */
function quote(entry: string): string {
  return JSON.stringify(entry.length > 40 ? `${entry.slice(0, 40)}…` : entry);
}

function describeBadZoneId(entry: string, inList: boolean): string {
  const what = inList ? `zone_id entry ${quote(entry)}` : `zone_id ${quote(entry)}`;
  const expected =
    "a Zone ID is 32 hex digits, shown on the zone's Overview page in the Cloudflare dashboard";
  if (entry.includes('.')) {
    return `${what} looks like a domain name: ${expected}; to name zones by domain, use zone_name`;
  }
  if (entry.length === 32) return `${what} has a character that is not a hex digit: ${expected}`;
  return `${what} has ${entry.length} characters: ${expected}`;
}

/** Parses zone_name: apex domains, lower-cased, a trailing dot dropped, duplicates removed. */
export function parseZoneNames(raw: string): { zoneNames: string[]; problems: string[] } {
  const entries = splitList(raw).map((entry) => entry.toLowerCase().replace(/\.$/, ''));
  const problems = entries
    .filter((entry) => !ZONE_NAME.test(entry))
    .map((entry) =>
      /^https?:/.test(entry)
        ? `zone_name ${quote(entry)} is a URL: give the domain only, e.g. example.com`
        : /[^ -~]/.test(entry)
          ? `zone_name ${quote(entry)} has non-ASCII letters: give the domain in punycode (xn--…), as Cloudflare lists it`
          : `zone_name ${quote(entry)} is not a domain name: expected an apex domain such as example.com`,
    );
  const zoneNames = [...new Set(entries)];
  return { zoneNames: problems.length === 0 ? zoneNames : [], problems };
}

export function describeZone(ref: { zoneId?: string | null; zoneName?: string | null }): string {
  if (ref.zoneName && ref.zoneId) return `${ref.zoneName} (${ref.zoneId})`;
  return ref.zoneName ?? ref.zoneId ?? 'zone';
}
