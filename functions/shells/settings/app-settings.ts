// Every setting of the function app, in one table, read once. The admission function
// needs the first group; notify needs the second. Each group fails on its own, so a
// Twilio typo stops texts (they wait on the queue) but never admission.
import { z } from 'zod';
import {
  clusterNameForm,
  clusterNamePattern,
  e164Form,
  e164Pattern,
  type SettingSpecs,
  wholeNumber,
} from '../../core/index.js';

const text = (pattern: RegExp) => z.string().regex(pattern);
const e164Digits = e164Pattern.source.slice(1, -1); // without ^ and $
const phoneList = new RegExp(`^${e164Digits}(,\\s*${e164Digits})*$`);

export const admissionSettingSpecs = {
  MIN_REPLICAS: { schema: wholeNumber(1, 1000), form: 'a whole number from 1 to 1000', fallback: '3' },
  CLUSTER_NAME: { schema: text(clusterNamePattern), form: clusterNameForm },
  POLICY_FILE: { schema: z.string().min(1), form: 'the path of a policy file (policy.yaml)' },
  // Azure Storage queue names: 3-63 lowercase letters, digits and single hyphens.
  SMS_QUEUE_NAME: {
    schema: text(/^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/),
    form: '3-63 lowercase letters, digits and single hyphens',
    fallback: 'sms-notifications',
  },
} as const satisfies SettingSpecs;

export const notifySettingSpecs = {
  OPS_PHONE_NUMBERS: { schema: text(phoneList), form: 'comma-separated E.164 numbers such as +15551234567' },
  TWILIO_ACCOUNT_SID: { schema: text(/^AC[0-9a-fA-F]{32}$/), form: 'an account SID: AC followed by 32 hex digits' },
  TWILIO_AUTH_TOKEN: { schema: z.string().min(16), form: 'an auth token of at least 16 characters' },
  TWILIO_API_KEY: { schema: text(/^SK[0-9a-fA-F]{32}$/), form: 'an API key SID: SK followed by 32 hex digits' },
  TWILIO_API_SECRET: { schema: z.string().min(16), form: 'an API key secret of at least 16 characters' },
  TWILIO_FROM: { schema: text(e164Pattern), form: e164Form },
  TWILIO_MESSAGING_SERVICE_SID: {
    schema: text(/^MG[0-9a-fA-F]{32}$/),
    form: 'a messaging service SID: MG followed by 32 hex digits',
  },
  TWILIO_API_URL: { schema: z.url({ protocol: /^https?$/ }), form: 'an http(s) URL' },
  TWILIO_TIMEOUT_MS: { schema: wholeNumber(1000, 60_000), form: 'milliseconds from 1000 to 60000', fallback: '10000' },
  SMS_DUPLICATE_WINDOW_SECONDS: { schema: wholeNumber(0, 86_400), form: 'seconds from 0 to 86400', fallback: '600' },
  SMS_BUDGET_WINDOW_SECONDS: { schema: wholeNumber(60, 86_400), form: 'seconds from 60 to 86400', fallback: '600' },
  SMS_BUDGET_PER_CLUSTER: { schema: wholeNumber(1, 10_000), form: 'a whole number from 1 to 10000', fallback: '30' },
  SMS_BUDGET_PER_RECIPIENT: { schema: wholeNumber(1, 10_000), form: 'a whole number from 1 to 10000', fallback: '10' },
  SMS_SILENCE_MINUTES: { schema: wholeNumber(1, 1440), form: 'minutes from 1 to 1440', fallback: '5' },
  SMS_LOG_FILE: { schema: z.string().min(1), form: 'a file path' },
  // The exact URL Twilio calls (it is what Twilio signs), not the one the app sees behind Azure's front end.
  SMS_STATUS_CALLBACK_URL: {
    schema: z.url({ protocol: /^https?$/ }),
    form: 'the http(s) URL of the sms-status function as Twilio calls it, ?code= included',
  },
  // Approve by reply: the exact URL Twilio calls for incoming texts (what it signs), and the codes' lifetime.
  SMS_REPLY_URL: {
    schema: z.url({ protocol: /^https?$/ }),
    form: 'the http(s) URL of the sms-reply function as Twilio calls it, ?code= included',
  },
  APPROVAL_TTL_MINUTES: { schema: wholeNumber(1, 60), form: 'minutes from 1 to 60', fallback: '15' },
  SMS_UNDELIVERABLE_RESET: {
    schema: z.iso.datetime({ offset: true }).transform(Date.parse),
    form: 'an ISO 8601 time such as 2026-12-02T18:00:00Z',
  },
} as const satisfies SettingSpecs;
