import { describe, expect, it } from '@jest/globals';
import { parseZoneIds, parseZoneNames } from '../src/zone-refs.js';

const ID = '023e105f4ecef8ad9ca31a8372d0c353';
const ID2 = '9a7806061c88ada191ed06f989cc3dac';

describe('parseZoneIds', () => {
  it('lower-cases IDs and removes duplicates across newlines, commas and spaces', () => {
    expect(parseZoneIds(`${ID.toUpperCase()}\n${ID2}, ${ID}  ${ID2}\n`)).toEqual({
      zoneIds: [ID, ID2],
      problems: [],
    });
  });

  it('names a domain pasted as zone_id and points to zone_name', () => {
    const { zoneIds, problems } = parseZoneIds('example.com');
    expect(zoneIds).toEqual([]);
    expect(problems).toEqual([
      expect.stringContaining('zone_id "example.com" looks like a domain name'),
    ]);
    expect(problems[0]).toContain('use zone_name');
  });

  it('says the length received and what is expected', () => {
    expect(parseZoneIds('abc123').problems).toEqual([
      'zone_id "abc123" has 6 characters: a Zone ID is 32 hex digits, shown on the zone\'s Overview page in the Cloudflare dashboard',
    ]);
  });

  it('names a 32-character entry with a non-hex digit', () => {
    expect(parseZoneIds(`${ID.slice(0, 31)}z`).problems[0]).toContain('not a hex digit');
  });

  it('names each bad entry of a list', () => {
    const { problems } = parseZoneIds(`${ID}, nope, shop.example.com`);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('zone_id entry "nope"');
    expect(problems[1]).toContain('zone_id entry "shop.example.com"');
  });
});

describe('quoting entries', () => {
  it('shortens a pasted page to its first 40 characters', () => {
    const [problem] = parseZoneIds('x'.repeat(100_000)).problems;
    expect(problem).toContain(`zone_id "${'x'.repeat(40)}…" has 100000 characters`);
    expect(problem?.length).toBeLessThan(200);
  });

  it('points a non-ASCII domain at punycode', () => {
    expect(parseZoneNames('exämple.com').problems[0]).toContain(
      'give the domain in punycode (xn--…)',
    );
  });
});

describe('parseZoneNames', () => {
  it('accepts apex domains, lower-cased, trailing dot dropped, duplicates removed', () => {
    expect(parseZoneNames('Example.COM. shop.example.co.uk, example.com')).toEqual({
      zoneNames: ['example.com', 'shop.example.co.uk'],
      problems: [],
    });
  });

  it('rejects URLs and non-domains, naming each', () => {
    const { zoneNames, problems } = parseZoneNames('https://example.com localhost');
    expect(zoneNames).toEqual([]);
    expect(problems).toEqual([
      expect.stringContaining('zone_name "https://example.com" is a URL'),
      expect.stringContaining('zone_name "localhost" is not a domain name'),
    ]);
  });
});
