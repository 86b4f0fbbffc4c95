// The sms-status function: Twilio's status callback for every text sent with
// SMS_STATUS_CALLBACK_URL. Twilio signs each callback (X-Twilio-Signature: HMAC-SHA1
// of the URL it called and the sorted form fields, keyed with the auth token); the
// signature is checked against the configured URL, not the one this request shows,
// since the app sits behind Azure's front end. A request that fails the check gets
// 403 and changes nothing; it is logged without its body or any number.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { readBody } from '../http/read-body.js';
import type { DeliveryReceipts } from './delivery-receipts.js';
import { isFailedDelivery, permanentDeliveryCodes } from './delivery-status.js';
import type { Escalation } from './escalate-delivery.js';
import { statusOf } from './table-rows.js';
import { isSignedByTwilio } from './twilio-signature.js';

/** Twilio's callbacks are a few hundred bytes of form fields; anything far larger is not one. */
const maxCallbackBytes = 16_384;
const sidPattern = /^(SM|MM)[0-9a-f]{32}$/;
const statusPattern = /^[a-z_]{1,20}$/;

export interface StatusDependencies {
  readonly accountSid: string;
  readonly callback: { readonly url: string; readonly authToken: string };
  readonly receipts: DeliveryReceipts;
  readonly escalate: Escalation;
  readonly now?: () => number;
  /** How long to wait before looking again for a text's row that is not there yet. */
  readonly lateRowMs?: number;
}

export type StatusHandler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;

interface Callback {
  readonly sid: string;
  readonly status: string;
  readonly errorCode: number | undefined;
}

export function createStatusHandler(dependencies: StatusDependencies): StatusHandler {
  return async (request, context) => {
    const read = await readBody(request, maxCallbackBytes);
    const params = 'body' in read ? Object.fromEntries(new URLSearchParams(read.body)) : {};
    const signing = { accountSid: dependencies.accountSid, ...dependencies.callback };
    if (!(await isSignedByTwilio(request.headers.get('x-twilio-signature'), params, signing))) {
      context.warn(JSON.stringify({ event: 'sms.status-forbidden', errorCode: 'CALLBACK_FORBIDDEN' }));
      return { status: 403, body: 'CALLBACK_FORBIDDEN: not signed by Twilio for this account and URL' };
    }
    const callback = readCallback(params);
    if (!callback) {
      context.warn(JSON.stringify({ event: 'sms.status-invalid', errorCode: 'CALLBACK_INVALID' }));
      return { status: 400, body: 'CALLBACK_INVALID: MessageSid, MessageStatus or ErrorCode is missing or malformed' };
    }
    try {
      await applyCallback(callback, dependencies, context);
    } catch (error) {
      const line = { event: 'sms.status-failed', sid: callback.sid, errorCode: 'STATE_UNAVAILABLE' };
      context.error(JSON.stringify({ ...line, status: statusOf(error) }));
      return { status: 500, body: 'STATE_UNAVAILABLE: the state table could not be read or written' };
    }
    return { status: 204 };
  };
}

async function applyCallback(callback: Callback, dependencies: StatusDependencies, context: InvocationContext) {
  const { receipts, escalate, now = Date.now } = dependencies;
  const { sid, status, errorCode } = callback;
  const apply = () => receipts.applyStatus(sid, status, errorCode, now());
  let change = await apply();
  if (change.change === 'unknown') {
    // Twilio may call before notify has written the row of the text it just accepted.
    await new Promise((resolve) => setTimeout(resolve, dependencies.lateRowMs ?? 1500));
    change = await apply();
  }
  const line = { event: 'sms.status', sid, status, twilioCode: errorCode, change: change.change };
  if (change.change === 'unknown') {
    context.log(JSON.stringify(line)); // a summary's text, or a row already swept: nothing to update
    return;
  }
  const { message } = change;
  context.log(JSON.stringify({ ...line, route: message.route, recipient: message.recipientIndex }));
  if (!isFailedDelivery(message.state)) return;
  const permanent = change.change === 'updated' && errorCode !== undefined && permanentDeliveryCodes.has(errorCode);
  if (permanent && (await receipts.markUndeliverable(message, errorCode, now()))) {
    const marked = { event: 'sms.marked-undeliverable', sid, route: message.route, recipient: message.recipientIndex };
    context.warn(JSON.stringify({ ...marked, errorCode: 'RECIPIENT_UNDELIVERABLE', twilioCode: errorCode }));
  }
  if (!message.fallbackOf && message.escalation !== 'done') await escalate(message, context);
}

/** The fields of a callback this release reads; undefined when one is malformed. */
function readCallback(params: Readonly<Record<string, string>>): Callback | undefined {
  const { MessageSid: sid = '', MessageStatus: status = '', ErrorCode: code = '' } = params;
  if (!sidPattern.test(sid) || !statusPattern.test(status) || !/^\d{0,6}$/.test(code)) return undefined;
  return { sid, status, errorCode: code === '' || code === '0' ? undefined : Number(code) };
}
