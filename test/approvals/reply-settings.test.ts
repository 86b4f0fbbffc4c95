// The settings of approve by reply: SMS_REPLY_URL needs the Twilio settings and the
// auth token Twilio signs with; APPROVAL_TTL_MINUTES is 15 by default and at most 60.
import { describe, expect, it } from 'vitest';
import { loadNotifySettings } from '../../functions/shells/settings/notify-settings.js';

const twilio = {
  OPS_PHONE_NUMBERS: '+15551230001',
  TWILIO_ACCOUNT_SID: `AC${'ab'.repeat(16)}`,
  TWILIO_FROM: '+15005550006',
};
const token = 'token_0123456789abcdef';
const apiKey = { TWILIO_API_KEY: `SK${'ab'.repeat(16)}`, TWILIO_API_SECRET: 'secret_0123456789abcdef' };
const url = 'https://app.azurewebsites.net/api/sms-reply?code=key';

describe('approve by reply settings', () => {
  it('takes no replies when SMS_REPLY_URL is unset', () => {
    expect(loadNotifySettings({ ...twilio, TWILIO_AUTH_TOKEN: token }).twilio?.reply).toBeUndefined();
  });

  it('keeps the URL exactly as written, with the auth token that checks signatures', () => {
    const settings = loadNotifySettings({ ...twilio, TWILIO_AUTH_TOKEN: token, SMS_REPLY_URL: url });
    expect(settings.twilio?.reply).toEqual({ url, authToken: token });
  });

  it('sends with an API key and checks replies with the auth token when both are set', () => {
    const settings = loadNotifySettings({ ...twilio, ...apiKey, TWILIO_AUTH_TOKEN: token, SMS_REPLY_URL: url });
    expect(settings.twilio?.credentials.type).toBe('api-key');
    expect(settings.twilio?.reply?.authToken).toBe(token);
  });

  it('names the missing auth token, or the missing Twilio settings, without echoing any value', () => {
    expect(() => loadNotifySettings({ ...twilio, ...apiKey, SMS_REPLY_URL: url })).toThrow(
      /^invalid notify settings: SMS_REPLY_URL needs TWILIO_AUTH_TOKEN: Twilio signs with it$/,
    );
    expect(() => loadNotifySettings({ SMS_REPLY_URL: url })).toThrow(
      /^invalid notify settings: SMS_REPLY_URL needs the Twilio settings$/,
    );
  });

  it('reads APPROVAL_TTL_MINUTES: 15 by default, 1 to 60', () => {
    expect(loadNotifySettings({}).approvalTtlMs).toBe(15 * 60_000);
    expect(loadNotifySettings({ APPROVAL_TTL_MINUTES: '60' }).approvalTtlMs).toBe(60 * 60_000);
    for (const value of ['0', '61', 'soon'])
      expect(() => loadNotifySettings({ APPROVAL_TTL_MINUTES: value })).toThrow(
        /^invalid notify settings: APPROVAL_TTL_MINUTES must be minutes from 1 to 60$/,
      );
  });
});
