// The sms-reply function: Twilio's incoming-message webhook. Only a request Twilio
// signed for SMS_REPLY_URL, for this account and to our own number (or messaging
// service) gets further; any other is 403 with nothing stored. Each MessageSid is
// processed once; the answer is TwiML (a text back to the phone that wrote), in a few
// table round trips, well inside Twilio's 15 s. Logs name events, masked numbers and
// objects: never a full number, a code, the body or a header.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { helpText, maskNumber, unknownReplyText } from '../../core/index.js';
import { readBody } from '../http/read-body.js';
import type { TwilioSenderId } from '../settings/notify-settings.js';
import { statusOf } from '../sms/table-rows.js';
import { isSignedByTwilio, type TwilioSigning } from '../sms/twilio-signature.js';
import { withinDeadline } from '../within-deadline.js';
import { type Answer, type ApprovalTools, answerApproval } from './answer-approval.js';
import { type IncomingReply, readIncomingReply, readReplyForm, readReplyRequest } from './read-reply.js';
import { claimReply, recordAnswer, releaseReply } from './reply-once.js';
import { toTwiml, twimlContentType } from './twiml.js';

/** An incoming SMS is at most 1,600 characters, form-encoded with some twenty fields: far below this. */
const maxReplyBytes = 16_384;
const answerWithinMs = 12_000;

export interface ReplyDependencies extends ApprovalTools {
  readonly signing: TwilioSigning;
  /** Where approvers' replies arrive: the number texts come from, or the messaging service. */
  readonly receiver: TwilioSenderId;
  readonly now?: () => number;
}

export type ReplyHandler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;

export function createReplyHandler(dependencies: ReplyDependencies): ReplyHandler {
  const { rows, now = Date.now } = dependencies;
  return async (request, context) => {
    const read = await readBody(request, maxReplyBytes);
    if ('failure' in read && read.failure === 'too-large')
      return invalid(context, `the body is over ${maxReplyBytes} bytes`);
    const form = readReplyForm('body' in read ? read.body : '');
    const signature = request.headers.get('x-twilio-signature');
    const reply = 'repeated' in form ? undefined : readIncomingReply(form.params);
    const signed = await isSignedByTwilio(signature, form.params, dependencies.signing);
    if (!signed || !isOurs(reply, dependencies.receiver)) {
      context.warn(JSON.stringify({ event: 'approval.forbidden', errorCode: 'REPLY_FORBIDDEN' }));
      return { status: 403, body: 'REPLY_FORBIDDEN: not signed by Twilio for this account, URL and number' };
    }
    if ('repeated' in form) return invalid(context, `${form.repeated} is sent more than once`);
    if (!reply) return invalid(context, 'MessageSid, From, To or MessagingServiceSid is missing or malformed');
    try {
      const claim = await claimReply(rows, reply.messageSid, now());
      if (claim.kind !== 'first') {
        const line = { event: `approval.${claim.kind}`, messageSid: reply.messageSid, from: maskNumber(reply.from) };
        context.log(JSON.stringify(line));
        return claim.kind === 'repeat' ? twiml(claim.answer) : inProgress;
      }
      // Twilio waits 15 s: past 12 s (a table that does not answer) this gives up with 500,
      // and Twilio's retry (same MessageSid, released) runs it again.
      const answer = await withinDeadline(
        () => answerReply(reply, dependencies, now(), context),
        answerWithinMs,
        `no answer within ${answerWithinMs} ms`,
      ).catch(async (error: unknown) => {
        await releaseReply(rows, reply.messageSid).catch(() => undefined); // Twilio's retry runs it anew
        throw error;
      });
      await recordAnswer(rows, reply.messageSid, answer.text, now());
      context.log(JSON.stringify({ ...answer.line, messageSid: reply.messageSid }));
      return twiml(answer.text);
    } catch (error) {
      const line = { event: 'approval.failed', messageSid: reply.messageSid, errorCode: 'STATE_UNAVAILABLE' };
      context.error(JSON.stringify({ ...line, status: statusOf(error) }));
      return { status: 500, body: 'STATE_UNAVAILABLE: the approvals table could not be read or written' };
    }
  };
}

async function answerReply(
  reply: IncomingReply,
  tools: ApprovalTools,
  now: number,
  context: InvocationContext,
): Promise<Answer> {
  const request = readReplyRequest(reply.body);
  const from = maskNumber(reply.from);
  switch (request.kind) {
    case 'approve':
      return answerApproval(reply.from, request.code, tools, now, context);
    case 'help':
      return { text: helpText, line: { event: 'approval.help', from } };
    case 'unknown':
      return { text: unknownReplyText, line: { event: 'approval.unknown', from } };
    default:
      // STOP, START and their synonyms: Twilio's opt-out handles them; no answer of ours.
      return { text: '', line: { event: `approval.${request.kind}`, from } };
  }
}

/** To our number (TWILIO_FROM), or through our messaging service. */
function isOurs(reply: IncomingReply | undefined, receiver: TwilioSenderId): boolean {
  if (!reply) return true; // malformed, but signed: answered 400 after this check
  if ('from' in receiver) return reply.to === receiver.from;
  return reply.messagingServiceSid === receiver.messagingServiceSid;
}

/**
 * Another invocation holds this MessageSid (or released it a moment ago). A 200 would
 * end Twilio's retries, and the answer with them if that invocation fails: ask again.
 */
const inProgress: HttpResponseInit = {
  status: 503,
  headers: { 'retry-after': '5' },
  body: 'REPLY_IN_PROGRESS: this MessageSid is being answered by another invocation; retry',
};

function invalid(context: InvocationContext, what: string): HttpResponseInit {
  context.warn(JSON.stringify({ event: 'approval.invalid', errorCode: 'REPLY_INVALID' }));
  return { status: 400, body: `REPLY_INVALID: ${what}` };
}

function twiml(text: string): HttpResponseInit {
  return { status: 200, headers: { 'content-type': twimlContentType }, body: toTwiml(text) };
}
