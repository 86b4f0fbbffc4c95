// DEVELOPMENT ONLY: an incoming SMS as Twilio posts it to the sms-reply webhook: the
// form fields of an inbound message, signed in X-Twilio-Signature with Twilio's
// documented algorithm (https://www.twilio.com/docs/usage/security#validating-requests):
// the full URL, then each field's name and value, fields sorted by name; HMAC-SHA1
// keyed with the auth token; base64.
import { createHmac, randomBytes } from 'node:crypto';

export interface SimulatedReply {
  readonly body: string;
  readonly from: string;
  readonly to: string;
  readonly accountSid: string;
  /** A fresh SM... SID unless given (give one to replay a reply). */
  readonly messageSid?: string;
}

export interface SignedRequest {
  readonly fields: Readonly<Record<string, string>>;
  readonly signature: string;
}

export function signTwilioRequest(authToken: string, url: string, fields: Readonly<Record<string, string>>): string {
  const data = Object.keys(fields)
    .sort()
    .reduce((text, name) => text + name + fields[name], url);
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

export function signedReply(reply: SimulatedReply, url: string, authToken: string): SignedRequest {
  const sid = reply.messageSid ?? `SM${randomBytes(16).toString('hex')}`;
  const fields = {
    AccountSid: reply.accountSid,
    ApiVersion: '2010-04-01',
    Body: reply.body,
    From: reply.from,
    MessageSid: sid,
    NumMedia: '0',
    NumSegments: '1',
    SmsMessageSid: sid,
    SmsSid: sid,
    SmsStatus: 'received',
    To: reply.to,
  };
  return { fields, signature: signTwilioRequest(authToken, url, fields) };
}

/** POSTs it as Twilio does; resolves with the HTTP status and the answer (TwiML). */
export async function postReply(url: string, request: SignedRequest): Promise<{ status: number; answer: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': request.signature },
    body: new URLSearchParams(request.fields).toString(),
    signal: AbortSignal.timeout(15_000), // Twilio's own limit
  });
  return { status: response.status, answer: await response.text() };
}
