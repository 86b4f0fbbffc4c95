// The sms-reply handler wired as the function app wires it, against Azurite (a fresh
// approvals table per harness), with a clock the test moves, a sender that records the
// texts it is given, and replies signed as Twilio signs them (test/helpers, written
// from Twilio's documented algorithm). Codes are issued as notify issues them.
import { HttpRequest, type HttpResponseInit } from '@azure/functions';
import type { ApprovalBinding, ApprovalOffer } from '../../functions/core/index.js';
import { compilePattern } from '../../functions/core/index.js';
import { createApprovalClaims } from '../../functions/shells/approvals/approval-claims.js';
import { issueApprovalCode } from '../../functions/shells/approvals/issue-approval-code.js';
import { createReplyHandler, type ReplyHandler } from '../../functions/shells/approvals/reply-handler.js';
import { otherApproversIn } from '../../functions/shells/approvals/route-approvers.js';
import type { SmsSender } from '../../functions/shells/sms/sms-sender.js';
import { createTableRows, type TableRows } from '../../functions/shells/sms/table-rows.js';
import { type LogLine, recordingContext } from '../helpers/fixtures.js';
import { signTwilioRequest } from '../helpers/status-callbacks.js';

export const accountSid = `AC${'d4'.repeat(16)}`;
export const authToken = 'e1f2a3b4c5d6e7f8091a2b3c4d5e6f70';
export const ourNumber = '+15005550006';
export const replyUrl = 'https://admission-func.azurewebsites.net/api/sms-reply?code=functionkey';
export const alice = '+15551230001';
export const bob = '+15551230002';
export const carol = '+15551230003';
export const mallory = '+15551230666';
export const ttlMs = 15 * 60_000;

export function bindingFor(name = 'web', specHash = 'a'.repeat(64)): ApprovalBinding {
  return { cluster: 'prod-aks', namespace: 'shop', kind: 'Deployment', name, rules: ['minimum-replicas'], specHash };
}

export function offerFor(binding = bindingFor(), required: 1 | 2 = 1, approvers = [alice, bob]): ApprovalOffer {
  return { binding, approvers, required };
}

export interface Reply {
  readonly status: number;
  /** The text of the TwiML <Message>, '' when the answer sends none. */
  readonly text: string;
  readonly response: HttpResponseInit;
  readonly lines: LogLine[];
}

export interface ReplyOptions {
  readonly sid?: string;
  readonly signature?: string;
  readonly fields?: Record<string, string>;
  readonly url?: string;
  readonly token?: string;
}

let tables = 0;
let sids = 0;
export const newSid = () => `SM${String(++sids).padStart(6, '0')}${'0'.repeat(26)}`;

export function createHarness(connectionString: string) {
  const rows: TableRows = createTableRows(
    { type: 'connection-string', connectionString },
    `appr${++tables}${Date.now() % 100000}`,
  );
  const clock = { now: 1_780_000_000_000 };
  const sent: { to: string; body: string }[] = [];
  const sender: SmsSender = {
    name: 'twilio',
    async send(to, body) {
      sent.push({ to, body });
      return { sid: 'SMsent' };
    },
  };
  const handler = createReplyHandler({
    rows,
    sender,
    ttlMs,
    otherApprovers: otherApproversIn([
      { namespaces: [compilePattern('shop')], to: [alice], approvers: [alice, bob, carol] },
    ]),
    signing: { accountSid, authToken, url: replyUrl },
    receiver: { from: ourNumber },
    now: () => clock.now,
  });
  const claims = createApprovalClaims(rows, { now: () => clock.now });
  const post = (body: string, signature: string) => postTo(handler, body, signature);
  return {
    rows,
    clock,
    sent,
    claims,
    issue: (offer: ApprovalOffer) => issueApprovalCode(rows, offer, clock.now, ttlMs),
    async reply(from: string, body: string, options: ReplyOptions = {}): Promise<Reply> {
      const sid = options.sid ?? newSid();
      const fields = {
        AccountSid: accountSid,
        Body: body,
        From: from,
        To: ourNumber,
        MessageSid: sid,
        ...options.fields,
      };
      const signature =
        options.signature ?? signTwilioRequest(options.token ?? authToken, options.url ?? replyUrl, fields);
      return post(new URLSearchParams(fields).toString(), signature);
    },
    /** Posts a body as it is, with this signature. */
    post,
  };
}

async function postTo(handler: ReplyHandler, body: string, signature: string): Promise<Reply> {
  const request = new HttpRequest({
    method: 'POST',
    url: 'http://127.0.0.1:7071/api/sms-reply', // what the app sees behind Azure's front end
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: { string: body },
  });
  const { context, lines } = recordingContext();
  const response = await handler(request, context);
  return { status: response.status ?? 200, text: messageOf(response), response, lines };
}

export type Harness = ReturnType<typeof createHarness>;

function messageOf(response: HttpResponseInit): string {
  const body = typeof response.body === 'string' ? response.body : '';
  const message = /<Message>([\s\S]*)<\/Message>/.exec(body)?.[1] ?? '';
  return message.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}

/** The log lines' events, in order. */
export function eventsOf(lines: readonly LogLine[]): string[] {
  return lines.flatMap((line) => {
    try {
      const parsed: unknown = JSON.parse(line.text);
      const event = typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, 'event') : undefined;
      return typeof event === 'string' ? [event] : [];
    } catch {
      return [];
    }
  });
}
