// Settings of the notify function: who gets texts and how they are sent. No Twilio
// setting at all selects the console sink; a partial or malformed Twilio setup is an
// error that names every setting at fault and the form it takes, never a value.
import { parseSettings, type SettingValues } from '../../core/index.js';
import { notifySettingSpecs } from './app-settings.js';
import { SettingsError } from './settings-error.js';
import { readStateStorage, type StateStorage } from './state-storage.js';

export type TwilioCredentials =
  | { readonly type: 'auth-token'; readonly accountSid: string; readonly authToken: string }
  | { readonly type: 'api-key'; readonly accountSid: string; readonly apiKey: string; readonly apiSecret: string };

export type TwilioSenderId = { readonly from: string } | { readonly messagingServiceSid: string };

export interface TwilioSettings {
  readonly credentials: TwilioCredentials;
  readonly sender: TwilioSenderId;
  /** TWILIO_API_URL: a Twilio-compatible endpoint instead of Twilio's own (tests). */
  readonly apiUrl: string | undefined;
  readonly timeoutMs: number;
  /** SMS_STATUS_CALLBACK_URL with the auth token Twilio signs its callbacks with; unset: no receipts. */
  readonly statusCallback: { readonly url: string; readonly authToken: string } | undefined;
  /** SMS_REPLY_URL with the auth token Twilio signs incoming-message webhooks with; unset: no sms-reply. */
  readonly reply: { readonly url: string; readonly authToken: string } | undefined;
}

export interface NotifySettings {
  /** OPS_PHONE_NUMBERS, E.164. Empty only with the console sink. */
  readonly recipients: readonly string[];
  /** Undefined selects the console sink. */
  readonly twilio: TwilioSettings | undefined;
  readonly duplicateWindowMs: number;
  /** SMS_LOG_FILE: also append every text sent as a JSON line here (local runs, tests). */
  readonly smsLogFile: string | undefined;
  /** SMS_UNDELIVERABLE_RESET (ms): numbers marked undeliverable before it are texted again. */
  readonly undeliverableResetAt: number | undefined;
  /** APPROVAL_TTL_MINUTES (ms): how long a texted code, and then its grant, may be used. */
  readonly approvalTtlMs: number;
}

type Values = SettingValues<typeof notifySettingSpecs>;

/** The flood budget: texts per window per cluster and per recipient, then one summary. */
export interface FloodSettings {
  readonly windowMs: number;
  readonly perCluster: number;
  readonly perRecipient: number;
  /**
   * The function app's own storage account: duplicates and budgets are kept there,
   * shared by every instance. Unset (tests) keeps them in this process.
   */
  readonly storage: StateStorage | undefined;
}

/** Call after loadNotifySettings, which reports a bad budget setting with the others. */
export function loadFloodSettings(env: Readonly<Record<string, string | undefined>>): FloodSettings {
  const parsed = parseSettings(notifySettingSpecs, env);
  if ('problems' in parsed) throw new SettingsError('notify settings', parsed.problems);
  const { values } = parsed;
  return Object.freeze({
    windowMs: values.SMS_BUDGET_WINDOW_SECONDS * 1000,
    perCluster: values.SMS_BUDGET_PER_CLUSTER,
    perRecipient: values.SMS_BUDGET_PER_RECIPIENT,
    storage: readStateStorage(env),
  });
}

const twilioNames = [
  'TWILIO_ACCOUNT_SID',
  'TWILIO_AUTH_TOKEN',
  'TWILIO_API_KEY',
  'TWILIO_API_SECRET',
  'TWILIO_FROM',
  'TWILIO_MESSAGING_SERVICE_SID',
] as const;

export function loadNotifySettings(env: Readonly<Record<string, string | undefined>>): NotifySettings {
  const parsed = parseSettings(notifySettingSpecs, env);
  // Whether a setting is there at all, valid or not: every problem is named in one go.
  const present = (name: keyof Values) => Boolean(env[name]?.trim());
  const twilioConfigured = twilioNames.some(present);
  const problems = [
    ...('problems' in parsed ? parsed.problems : []),
    ...(twilioConfigured ? findTwilioProblems(present) : []),
    ...(!twilioConfigured && present('SMS_REPLY_URL') ? ['SMS_REPLY_URL needs the Twilio settings'] : []),
  ];
  if (problems.length > 0 || 'problems' in parsed) throw new SettingsError('notify settings', problems);
  const values = parsed.values;
  const recipients = (values.OPS_PHONE_NUMBERS ?? '').split(',').map((number) => number.trim());
  return Object.freeze({
    recipients: Object.freeze(recipients.filter(Boolean)),
    twilio: twilioConfigured ? readTwilio(values) : undefined,
    duplicateWindowMs: values.SMS_DUPLICATE_WINDOW_SECONDS * 1000,
    smsLogFile: values.SMS_LOG_FILE,
    undeliverableResetAt: values.SMS_UNDELIVERABLE_RESET,
    approvalTtlMs: values.APPROVAL_TTL_MINUTES * 60_000,
  });
}

/** What is missing or contradictory in a Twilio setup, by which settings are present. */
function findTwilioProblems(present: (name: keyof Values) => boolean): string[] {
  const problems: string[] = [];
  if (!present('OPS_PHONE_NUMBERS')) {
    problems.push(`OPS_PHONE_NUMBERS is required with Twilio: ${notifySettingSpecs.OPS_PHONE_NUMBERS.form}`);
  }
  if (!present('TWILIO_ACCOUNT_SID')) problems.push('TWILIO_ACCOUNT_SID is required with Twilio');
  const tokenAuth = present('TWILIO_AUTH_TOKEN');
  const keyAuth = present('TWILIO_API_KEY') || present('TWILIO_API_SECRET');
  const callback = present('SMS_STATUS_CALLBACK_URL') || present('SMS_REPLY_URL');
  // With delivery receipts or replies, the auth token may sit beside an API key: it only checks Twilio's signatures.
  if (tokenAuth === keyAuth && !(tokenAuth && callback)) {
    problems.push('set either TWILIO_AUTH_TOKEN or TWILIO_API_KEY with TWILIO_API_SECRET, not both or neither');
  } else if (keyAuth && !(present('TWILIO_API_KEY') && present('TWILIO_API_SECRET'))) {
    problems.push('TWILIO_API_KEY and TWILIO_API_SECRET go together');
  }
  if (present('SMS_STATUS_CALLBACK_URL') && !tokenAuth)
    problems.push('SMS_STATUS_CALLBACK_URL needs TWILIO_AUTH_TOKEN: Twilio signs with it');
  if (present('SMS_REPLY_URL') && !tokenAuth)
    problems.push('SMS_REPLY_URL needs TWILIO_AUTH_TOKEN: Twilio signs with it');
  if (present('TWILIO_FROM') === present('TWILIO_MESSAGING_SERVICE_SID')) {
    problems.push('set exactly one of TWILIO_FROM and TWILIO_MESSAGING_SERVICE_SID');
  }
  return problems;
}

/** Called only once findTwilioProblems found nothing: the account and one credential pair are set. */
function readTwilio(values: Values): TwilioSettings {
  const accountSid = values.TWILIO_ACCOUNT_SID ?? '';
  const { TWILIO_AUTH_TOKEN: authToken, TWILIO_API_KEY: apiKey, TWILIO_API_SECRET: apiSecret } = values;
  const credentials: TwilioCredentials =
    apiKey && apiSecret
      ? { type: 'api-key', accountSid, apiKey, apiSecret }
      : { type: 'auth-token', accountSid, authToken: authToken ?? '' };
  const from = values.TWILIO_FROM;
  const url = values.SMS_STATUS_CALLBACK_URL;
  const replyUrl = values.SMS_REPLY_URL;
  return Object.freeze({
    credentials,
    sender: from ? { from } : { messagingServiceSid: values.TWILIO_MESSAGING_SERVICE_SID ?? '' },
    apiUrl: values.TWILIO_API_URL,
    timeoutMs: values.TWILIO_TIMEOUT_MS,
    statusCallback: url && authToken ? Object.freeze({ url, authToken }) : undefined,
    reply: replyUrl && authToken ? Object.freeze({ url: replyUrl, authToken }) : undefined,
  });
}
