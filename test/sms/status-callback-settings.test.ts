// The settings of delivery receipts (the callback URL needs the auth token Twilio signs
// with; no URL, no callbacks), the order in which a text's status may move, and the
// fallback numbers of a policy route.
import { describe, expect, it } from 'vitest';
import { parsePolicyText } from '../../functions/core/policy/parse-policy.js';
import { loadNotifySettings } from '../../functions/shells/settings/notify-settings.js';
import { movesForward } from '../../functions/shells/sms/delivery-status.js';

const twilio = {
  OPS_PHONE_NUMBERS: '+15551230001',
  TWILIO_ACCOUNT_SID: `AC${'ab'.repeat(16)}`,
  TWILIO_FROM: '+15005550006',
};
const token = 'token_0123456789abcdef';
const apiKey = { TWILIO_API_KEY: `SK${'ab'.repeat(16)}`, TWILIO_API_SECRET: 'secret_0123456789abcdef' };
const url = 'https://app.azurewebsites.net/api/sms-status?code=key';

describe('delivery receipt settings', () => {
  it('asks for no callback when SMS_STATUS_CALLBACK_URL is unset', () => {
    expect(loadNotifySettings({ ...twilio, TWILIO_AUTH_TOKEN: token }).twilio?.statusCallback).toBeUndefined();
  });

  it('keeps the URL exactly as written, with the auth token that checks signatures', () => {
    const settings = loadNotifySettings({ ...twilio, TWILIO_AUTH_TOKEN: token, SMS_STATUS_CALLBACK_URL: url });
    expect(settings.twilio?.statusCallback).toEqual({ url, authToken: token });
  });

  it('sends with an API key and checks signatures with the auth token when both are set for receipts', () => {
    const settings = loadNotifySettings({
      ...twilio,
      ...apiKey,
      TWILIO_AUTH_TOKEN: token,
      SMS_STATUS_CALLBACK_URL: url,
    });
    expect(settings.twilio?.credentials.type).toBe('api-key');
    expect(settings.twilio?.statusCallback?.authToken).toBe(token);
  });

  it('names the missing auth token without echoing any value', () => {
    expect(() => loadNotifySettings({ ...twilio, ...apiKey, SMS_STATUS_CALLBACK_URL: url })).toThrow(
      /^invalid notify settings: SMS_STATUS_CALLBACK_URL needs TWILIO_AUTH_TOKEN: Twilio signs with it$/,
    );
  });

  it('reads SMS_UNDELIVERABLE_RESET as a time, and refuses anything else by its form', () => {
    const reset = loadNotifySettings({ SMS_UNDELIVERABLE_RESET: '2026-12-02T18:00:00Z' });
    expect(reset.undeliverableResetAt).toBe(Date.UTC(2026, 11, 2, 18));
    expect(() => loadNotifySettings({ SMS_UNDELIVERABLE_RESET: 'yesterday' })).toThrow(
      /SMS_UNDELIVERABLE_RESET must be an ISO 8601 time such as 2026-12-02T18:00:00Z/,
    );
  });
});

describe('the order of statuses', () => {
  it.each([
    ['queued', 'sent', true],
    ['sent', 'delivered', true],
    ['delivered', 'read', true],
    ['sent', 'undelivered', true],
    ['delivered', 'sent', false],
    ['undelivered', 'undelivered', false],
    ['undelivered', 'read', false],
    ['failed', 'delivered', false],
    ['sent', 'some-new-status', false],
  ])('moves a text from %s to %s: %s', (from, to, expected) => {
    expect(movesForward(from, to)).toBe(expected);
  });
});

describe('fallback numbers in the policy file', () => {
  const policyWith = (fallback: string) =>
    `apiVersion: admission.serverless.io/v1\nkind: AdmissionPolicy\nrules: []\nnotifications:\n  routes:\n    - namespaces: ["prod-*"]\n      to: ["+15551230009"]\n      fallback: ${fallback}\n`;

  it('compiles a route with fallback numbers, and one without them to none', () => {
    const { routes } = parsePolicyText('policy.yaml', policyWith('["+15551230010"]'));
    expect(routes[0]?.fallback).toEqual(['+15551230010']);
    const without = parsePolicyText('policy.yaml', policyWith('["+15551230010"]').replace(/ {6}fallback.*\n/, ''));
    expect(without.routes[0]?.fallback).toEqual([]);
  });

  it('refuses a fallback that is not an E.164 number, naming the path', () => {
    expect(() => parsePolicyText('policy.yaml', policyWith('["555-0100"]'))).toThrow(
      /notifications\.routes\[0\]\.fallback/,
    );
  });
});
