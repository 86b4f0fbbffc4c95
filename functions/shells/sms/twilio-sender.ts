// Sends texts with the twilio SDK. The SDK costs ~0.4 s to import, so it is loaded on
// the first text, not when the function app starts; the client is made once per
// process and keeps its connection to Twilio alive between texts.

import type RequestClient from 'twilio/lib/base/RequestClient.js';
import type { TwilioSettings } from '../settings/notify-settings.js';
import type { SmsSender } from './sms-sender.js';

type TwilioModule = typeof import('twilio');
type TwilioClient = ReturnType<TwilioModule>;

export function createTwilioSender(settings: TwilioSettings): SmsSender {
  let client: Promise<TwilioClient> | undefined;
  return {
    name: 'twilio',
    async send(to, body) {
      client ??= createClient(settings).catch((error: unknown) => {
        client = undefined; // let the next text try the import again
        throw error;
      });
      // Twilio then reports the carrier's verdict (delivered, undelivered, failed) to sms-status.
      const statusCallback = settings.statusCallback?.url;
      const message = await (await client).messages.create({
        to,
        body,
        ...settings.sender,
        ...(statusCallback ? { statusCallback } : {}),
      });
      return { sid: message.sid };
    },
  };
}

async function createClient(settings: TwilioSettings): Promise<TwilioClient> {
  const { default: twilio } = await import('twilio');
  const { credentials, apiUrl, timeoutMs } = settings;
  const httpClient = apiUrl
    ? new (rebasingClient(twilio.RequestClient, apiUrl))({ timeout: timeoutMs, keepAlive: true })
    : new twilio.RequestClient({ timeout: timeoutMs, keepAlive: true });
  const [username, password] =
    credentials.type === 'auth-token'
      ? [credentials.accountSid, credentials.authToken]
      : [credentials.apiKey, credentials.apiSecret];
  // env: {} keeps the SDK from reading TWILIO_* variables (TWILIO_LOG_LEVEL=debug
  // would log request bodies, phone numbers included) behind our validated settings.
  return twilio(username, password, { accountSid: credentials.accountSid, httpClient, env: {} });
}

/** A RequestClient that sends every request to `apiUrl` instead of Twilio's hosts. */
function rebasingClient(base: TwilioModule['RequestClient'], apiUrl: string) {
  const target = new URL(apiUrl);
  const prefix = target.pathname.replace(/\/$/, '');
  return class RebasingRequestClient extends base {
    override request<TData>(opts: RequestClient.RequestOptions<TData>) {
      const original = new URL(opts.uri);
      return super.request<TData>({ ...opts, uri: `${target.origin}${prefix}${original.pathname}${original.search}` });
    }
  };
}
