import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { InputError } from '../src/errors.js';
import { readSettings } from '../src/settings.js';

const ID = '023e105f4ecef8ad9ca31a8372d0c353';

// Inputs reach @actions/core as the runner passes them: INPUT_<NAME> variables.
function setInputs(inputs: Record<string, string>): void {
  for (const [name, value] of Object.entries(inputs))
    process.env[`INPUT_${name.toUpperCase()}`] = value;
}

function problemsOf(inputs: Record<string, string>): string[] {
  setInputs(inputs);
  try {
    readSettings();
    return [];
  } catch (error) {
    if (error instanceof InputError) return error.problems;
    throw error;
  }
}

describe('readSettings', () => {
  let written: string[];
  beforeEach(() => {
    written = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    process.env = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !name.startsWith('INPUT_')),
    );
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('types every input, with the defaults the runner would leave empty', () => {
    setInputs({ zone_id: ` ${ID.toUpperCase()} `, enabled: 'True', token: ' tok-123 \n' });
    expect(readSettings()).toEqual({
      settings: {
        mode: 'apply',
        enabled: true,
        skipUnchanged: false,
        zones: [{ zoneId: ID }],
        accountId: undefined,
        credentials: { scheme: 'token', token: 'tok-123' },
        apiUrl: 'https://api.cloudflare.com/client/v4',
        maxRetries: 3,
        timeoutSeconds: 30,
        concurrency: 4,
      },
      warnings: [],
    });
  });

  it('masks every credential before anything else is said', () => {
    setInputs({
      zone_id: 'bad',
      token: 'tok-123',
      api_email: 'ops@example.com',
      api_key: 'key-456',
    });
    expect(() => readSettings()).toThrow(InputError);
    expect(written.slice(0, 3)).toEqual([
      expect.stringContaining('::add-mask::tok-123'),
      expect.stringContaining('::add-mask::ops@example.com'),
      expect.stringContaining('::add-mask::key-456'),
    ]);
  });

  it('reports every problem at once', () => {
    expect(problemsOf({ zone_id: 'example.com', enabled: 'maybe', concurrency: '0' })).toEqual([
      expect.stringContaining('no credentials'),
      expect.stringContaining('enabled "maybe" is not a boolean'),
      expect.stringContaining('zone_id "example.com" looks like a domain name'),
      'concurrency "0" is not a whole number from 1 to 50',
    ]);
  });

  it('needs no enabled in mode read, and warns when it is given', () => {
    setInputs({ zone_id: ID, token: 'tok', mode: 'read' });
    expect(readSettings().settings.enabled).toBeUndefined();
    setInputs({ enabled: 'true' });
    expect(readSettings().warnings).toEqual(['enabled is ignored in mode read']);
  });

  it('ignores skip_unchanged outside apply, with a warning', () => {
    setInputs({
      zone_id: ID,
      token: 'tok',
      mode: 'check',
      enabled: 'false',
      skip_unchanged: 'true',
    });
    const { settings, warnings } = readSettings();
    expect(settings.skipUnchanged).toBe(false);
    expect(warnings).toEqual([
      'skip_unchanged applies to mode apply only and is ignored in mode check',
    ]);
  });

  it('takes IDs and names together, IDs first', () => {
    setInputs({
      zone_id: ID,
      zone_name: 'Shop.Example.com',
      token: 'tok',
      enabled: 'false',
      account_id: ID,
    });
    const { settings } = readSettings();
    expect(settings.zones).toEqual([{ zoneId: ID }, { zoneName: 'shop.example.com' }]);
    expect(settings.accountId).toBe(ID);
  });
});
