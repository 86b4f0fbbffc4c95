import { describe, expect, it } from 'vitest';
import { loadNotifySettings } from '../../functions/shells/settings/notify-settings.js';
import { SettingsError as NotifySettingsError } from '../../functions/shells/settings/settings-error.js';

const accountSid = `AC${'0123456789abcdef'.repeat(2)}`;
const token = 'tok_9f8e7d6c5b4a3f2e1d0c';
const twilio = {
  OPS_PHONE_NUMBERS: '+15551230001,+447700900123',
  TWILIO_ACCOUNT_SID: accountSid,
  TWILIO_AUTH_TOKEN: token,
  TWILIO_FROM: '+15005550006',
};

describe('loadNotifySettings', () => {
  it('selects the console sink when no Twilio setting is present', () => {
    expect(loadNotifySettings({})).toEqual({
      recipients: [],
      twilio: undefined,
      duplicateWindowMs: 600_000,
      approvalTtlMs: 900_000,
    });
  });

  it('reads an auth-token setup with several numbers', () => {
    const settings = loadNotifySettings(twilio);
    expect(settings.recipients).toEqual(['+15551230001', '+447700900123']);
    expect(settings.twilio).toEqual({
      credentials: { type: 'auth-token', accountSid, authToken: token },
      sender: { from: '+15005550006' },
      apiUrl: undefined,
      timeoutMs: 10_000,
    });
  });

  it('reads an API key setup with a messaging service', () => {
    const settings = loadNotifySettings({
      OPS_PHONE_NUMBERS: '+15551230001',
      TWILIO_ACCOUNT_SID: accountSid,
      TWILIO_API_KEY: `SK${'ab'.repeat(16)}`,
      TWILIO_API_SECRET: 'secret_0123456789abcdef',
      TWILIO_MESSAGING_SERVICE_SID: `MG${'cd'.repeat(16)}`,
    });
    expect(settings.twilio?.credentials).toMatchObject({ type: 'api-key', apiKey: `SK${'ab'.repeat(16)}` });
    expect(settings.twilio?.sender).toEqual({ messagingServiceSid: `MG${'cd'.repeat(16)}` });
  });

  it.each<[string, Record<string, string>, RegExp]>([
    [
      'a number that is not E.164',
      { ...twilio, OPS_PHONE_NUMBERS: '555-1234' },
      /OPS_PHONE_NUMBERS must be comma-separated E\.164 numbers/,
    ],
    ['Twilio without ops numbers', { ...twilio, OPS_PHONE_NUMBERS: '' }, /OPS_PHONE_NUMBERS is required with Twilio/],
    [
      'a malformed account SID',
      { ...twilio, TWILIO_ACCOUNT_SID: 'AC123' },
      /TWILIO_ACCOUNT_SID must be an account SID/,
    ],
    [
      'both a token and an API key',
      { ...twilio, TWILIO_API_KEY: `SK${'ab'.repeat(16)}`, TWILIO_API_SECRET: 'secret_0123456789abcdef' },
      /either TWILIO_AUTH_TOKEN or TWILIO_API_KEY/,
    ],
    [
      'an API key without its secret',
      { ...twilio, TWILIO_AUTH_TOKEN: '', TWILIO_API_KEY: `SK${'ab'.repeat(16)}` },
      /TWILIO_API_KEY and TWILIO_API_SECRET go together/,
    ],
    [
      'neither a sender number nor a messaging service',
      { ...twilio, TWILIO_FROM: '' },
      /exactly one of TWILIO_FROM and TWILIO_MESSAGING_SERVICE_SID/,
    ],
    [
      'a token that Key Vault did not resolve',
      { ...twilio, TWILIO_AUTH_TOKEN: '@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/twilio/)' },
      /TWILIO_AUTH_TOKEN is an unresolved Key Vault reference/,
    ],
    [
      'an API URL that is not http(s)',
      { ...twilio, TWILIO_API_URL: 'ftp://127.0.0.1' },
      /TWILIO_API_URL must be an http\(s\) URL/,
    ],
    [
      'a timeout out of range',
      { ...twilio, TWILIO_TIMEOUT_MS: '50' },
      /TWILIO_TIMEOUT_MS must be milliseconds from 1000 to 60000/,
    ],
  ])('refuses %s, naming the setting', (_sentence, env, message) => {
    expect(() => loadNotifySettings(env)).toThrow(NotifySettingsError);
    expect(() => loadNotifySettings(env)).toThrow(message);
  });

  it('names a malformed setting and a missing one in the same message', () => {
    const env = { ...twilio, TWILIO_ACCOUNT_SID: 'AC123', TWILIO_FROM: '' };
    expect(() => loadNotifySettings(env)).toThrow(
      /TWILIO_ACCOUNT_SID must be an account SID.*; set exactly one of TWILIO_FROM and TWILIO_MESSAGING_SERVICE_SID/,
    );
  });

  it('never puts a value in its message', () => {
    const env = { ...twilio, TWILIO_ACCOUNT_SID: 'ACnotvalid', OPS_PHONE_NUMBERS: '+1555 secret' };
    try {
      loadNotifySettings(env);
      expect.unreachable();
    } catch (error) {
      const message = (error as Error).message;
      for (const value of ['ACnotvalid', '+1555 secret', token, '+15005550006']) expect(message).not.toContain(value);
    }
  });
});
