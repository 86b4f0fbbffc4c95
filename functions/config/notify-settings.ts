// Settings of the notify function: who gets texts and how they are sent. No Twilio
// setting at all selects the console sink; a partial or malformed Twilio setup is an
// error that names every setting at fault and the form it takes, never a value.
import { z } from 'zod';

const e164 = /^\+[1-9]\d{6,14}$/;

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
}

export interface NotifySettings {
  /** OPS_PHONE_NUMBERS, E.164. Empty only with the console sink. */
  readonly recipients: readonly string[];
  /** Undefined selects the console sink. */
  readonly twilio: TwilioSettings | undefined;
  readonly duplicateWindowMs: number;
  /** SMS_LOG_FILE: also append every text sent as a JSON line here (local runs, tests). */
  readonly smsLogFile: string | undefined;
}

export class NotifySettingsError extends Error {
  readonly code = 'INVALID_NOTIFY_SETTINGS';
  constructor(problems: readonly string[]) {
    super(`invalid notify settings: ${problems.join('; ')}`);
    this.name = 'NotifySettingsError';
  }
}

const forms = {
  OPS_PHONE_NUMBERS: [z.string().regex(/^\+[1-9]\d{6,14}(,\s*\+[1-9]\d{6,14})*$/), 'comma-separated E.164 numbers such as +15551234567'],
  TWILIO_ACCOUNT_SID: [z.string().regex(/^AC[0-9a-fA-F]{32}$/), 'an account SID: AC followed by 32 hex digits'],
  TWILIO_AUTH_TOKEN: [z.string().min(16), 'an auth token of at least 16 characters'],
  TWILIO_API_KEY: [z.string().regex(/^SK[0-9a-fA-F]{32}$/), 'an API key SID: SK followed by 32 hex digits'],
  TWILIO_API_SECRET: [z.string().min(16), 'an API key secret of at least 16 characters'],
  TWILIO_FROM: [z.string().regex(e164), 'an E.164 number such as +15551234567'],
  TWILIO_MESSAGING_SERVICE_SID: [z.string().regex(/^MG[0-9a-fA-F]{32}$/), 'a messaging service SID: MG followed by 32 hex digits'],
  TWILIO_API_URL: [z.url({ protocol: /^https?$/ }), 'an http(s) URL'],
  TWILIO_TIMEOUT_MS: [z.string().regex(/^\d{1,6}$/).transform(Number).pipe(z.number().min(1000).max(60000)), 'milliseconds from 1000 to 60000'],
  SMS_DUPLICATE_WINDOW_SECONDS: [z.string().regex(/^\d{1,5}$/).transform(Number).pipe(z.number().max(86400)), 'seconds from 0 to 86400'],
  SMS_LOG_FILE: [z.string().min(1), 'a file path'],
} as const satisfies Record<string, readonly [z.ZodType, string]>;

type SettingName = keyof typeof forms;

const twilioNames: readonly SettingName[] = [
  'TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_API_KEY', 'TWILIO_API_SECRET', 'TWILIO_FROM', 'TWILIO_MESSAGING_SERVICE_SID',
];

export function loadNotifySettings(env: Readonly<Record<string, string | undefined>>): NotifySettings {
  const problems: string[] = [];
  const values = new Map<SettingName, unknown>();
  for (const [name, [schema, form]] of Object.entries(forms) as [SettingName, readonly [z.ZodType, string]][]) {
    const raw = env[name]?.trim();
    if (!raw) continue;
    if (raw.startsWith('@Microsoft.KeyVault(')) {
      problems.push(`${name} is an unresolved Key Vault reference; give the app's identity read access to the secret`);
      continue;
    }
    const parsed = schema.safeParse(raw);
    if (parsed.success) values.set(name, parsed.data);
    else problems.push(`${name} must be ${form}`);
  }
  const text = (name: SettingName) => values.get(name) as string | undefined;
  const present = (name: SettingName) => Boolean(env[name]?.trim());

  const recipients = (text('OPS_PHONE_NUMBERS') ?? '').split(',').map((number) => number.trim()).filter(Boolean);
  const twilioConfigured = twilioNames.some(present);
  if (twilioConfigured) {
    if (!present('OPS_PHONE_NUMBERS')) problems.push(`OPS_PHONE_NUMBERS is required with Twilio: ${forms.OPS_PHONE_NUMBERS[1]}`);
    if (!present('TWILIO_ACCOUNT_SID')) problems.push('TWILIO_ACCOUNT_SID is required with Twilio');
    const tokenAuth = present('TWILIO_AUTH_TOKEN');
    const keyAuth = present('TWILIO_API_KEY') || present('TWILIO_API_SECRET');
    if (tokenAuth === keyAuth) problems.push('set either TWILIO_AUTH_TOKEN or TWILIO_API_KEY with TWILIO_API_SECRET, not both or neither');
    else if (keyAuth && !(present('TWILIO_API_KEY') && present('TWILIO_API_SECRET'))) problems.push('TWILIO_API_KEY and TWILIO_API_SECRET go together');
    if (present('TWILIO_FROM') === present('TWILIO_MESSAGING_SERVICE_SID')) problems.push('set exactly one of TWILIO_FROM and TWILIO_MESSAGING_SERVICE_SID');
  }
  if (problems.length > 0) throw new NotifySettingsError(problems);

  const windowSeconds = (values.get('SMS_DUPLICATE_WINDOW_SECONDS') as number | undefined) ?? 600;
  const settings: NotifySettings = {
    recipients: Object.freeze(recipients),
    twilio: twilioConfigured ? readTwilio(text, values) : undefined,
    duplicateWindowMs: windowSeconds * 1000,
    smsLogFile: text('SMS_LOG_FILE'),
  };
  return Object.freeze(settings);
}

function readTwilio(text: (name: SettingName) => string | undefined, values: Map<SettingName, unknown>): TwilioSettings {
  const accountSid = text('TWILIO_ACCOUNT_SID') as string;
  const authToken = text('TWILIO_AUTH_TOKEN');
  const from = text('TWILIO_FROM');
  return Object.freeze({
    credentials: authToken
      ? { type: 'auth-token', accountSid, authToken }
      : { type: 'api-key', accountSid, apiKey: text('TWILIO_API_KEY') as string, apiSecret: text('TWILIO_API_SECRET') as string },
    sender: from ? { from } : { messagingServiceSid: text('TWILIO_MESSAGING_SERVICE_SID') as string },
    apiUrl: text('TWILIO_API_URL'),
    timeoutMs: (values.get('TWILIO_TIMEOUT_MS') as number | undefined) ?? 10_000,
  } satisfies TwilioSettings);
}
