// Twilio's status callbacks, as Twilio makes them: a form-encoded POST to the text's
// StatusCallback URL for each change of status, signed in X-Twilio-Signature. The
// signature follows Twilio's documented algorithm
// (https://www.twilio.com/docs/usage/security#validating-requests): take the full URL
// Twilio calls, append each POST field's name and value, fields sorted by name, with
// no separators; HMAC-SHA1 that UTF-8 text keyed with the account's auth token;
// base64-encode the digest.
import { createHmac } from 'node:crypto';

export interface CarrierOutcome {
  readonly status: 'delivered' | 'undelivered' | 'failed';
  readonly errorCode?: number;
}

export interface SentCallback {
  readonly sid: string;
  readonly status: string;
  /** The app's answer. */
  readonly httpStatus: number;
}

export function signTwilioRequest(authToken: string, url: string, params: Readonly<Record<string, string>>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((text, name) => text + name + params[name], url);
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

/** POSTs one callback; the signature is Twilio's unless `signature` is given. Resolves with the HTTP status. */
export async function postStatusCallback(
  url: string,
  params: Readonly<Record<string, string>>,
  authToken: string,
  signature = signTwilioRequest(authToken, url, params),
): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: new URLSearchParams(params).toString(),
  });
  await response.arrayBuffer();
  return response.status;
}

/** The fields Twilio posts for an SMS's status (ErrorCode only with a failure). */
export function callbackFields(
  text: { sid: string; accountSid: string; to: string | null; from: string | null; messagingServiceSid: string | null },
  status: string,
  errorCode?: number,
): Record<string, string> {
  return {
    AccountSid: text.accountSid,
    ApiVersion: '2010-04-01',
    From: text.from ?? '',
    MessageSid: text.sid,
    MessageStatus: status,
    SmsSid: text.sid,
    SmsStatus: status,
    To: text.to ?? '',
    ...(text.messagingServiceSid ? { MessagingServiceSid: text.messagingServiceSid } : {}),
    ...(errorCode === undefined ? {} : { ErrorCode: String(errorCode) }),
  };
}

/** `sent`, then the outcome, after a carrier's pause; each answer recorded in `log`. */
export async function sendStatusCallbacks(
  text: Parameters<typeof callbackFields>[0] & { statusCallback: string | null },
  outcome: CarrierOutcome,
  signing: { authToken: string; delayMs: number },
  log: SentCallback[],
): Promise<void> {
  const url = text.statusCallback ?? '';
  for (const [status, errorCode] of [
    ['sent', undefined],
    [outcome.status, outcome.errorCode],
  ] as const) {
    await new Promise((resolve) => setTimeout(resolve, signing.delayMs));
    const httpStatus = await postStatusCallback(url, callbackFields(text, status, errorCode), signing.authToken);
    log.push({ sid: text.sid, status, httpStatus });
  }
}
