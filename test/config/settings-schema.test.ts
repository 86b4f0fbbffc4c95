// The one way every deliverable reads its environment (functions/core/settings-schema.ts).
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseSettings, type SettingSpecs, wholeNumber } from '../../functions/core/index.js';

const specs = {
  PORT: { schema: wholeNumber(1, 65535), form: 'a port number', fallback: '8443' },
  NAME: { schema: z.string().regex(/^[a-z]+$/), form: 'lowercase letters' },
} as const satisfies SettingSpecs;

describe('parseSettings', () => {
  it('applies defaults and leaves unset variables without one undefined', () => {
    expect(parseSettings(specs, {})).toEqual({ values: { PORT: 8443, NAME: undefined } });
  });

  it('trims values and treats blank as unset', () => {
    expect(parseSettings(specs, { PORT: ' 80 ', NAME: '   ' })).toEqual({ values: { PORT: 80, NAME: undefined } });
  });

  it('names every bad variable with its form, never the value', () => {
    const result = parseSettings(specs, { PORT: '99999', NAME: 'Secret-Value' });
    expect(result).toEqual({ problems: ['PORT must be a port number', 'NAME must be lowercase letters'] });
    expect(JSON.stringify(result)).not.toContain('Secret-Value');
  });

  it('says when a Key Vault reference was not resolved', () => {
    const result = parseSettings(specs, { NAME: '@Microsoft.KeyVault(SecretUri=https://kv/secrets/x/)' });
    expect(result).toEqual({
      problems: ["NAME is an unresolved Key Vault reference; give the app's identity read access to the secret"],
    });
  });

  it('returns frozen values', () => {
    const result = parseSettings(specs, {});
    expect('values' in result && Object.isFrozen(result.values)).toBe(true);
  });
});
