// A fake Twilio REST API on 127.0.0.1: POST /2010-04-01/Accounts/{sid}/Messages.json,
// form-encoded bodies, HTTP basic auth, JSON answers and Twilio's error bodies
// ({ code, message, more_info, status }). Tests script its answers one by one.
// A text sent with a StatusCallback gets Twilio's callbacks (sent, then the outcome),
// signed as Twilio signs them (status-callbacks.ts, written from Twilio's documented
// algorithm, not with the twilio package, so that the app's check is tested against it).
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CarrierOutcome, type SentCallback, sendStatusCallbacks } from './status-callbacks.js';

export type { CarrierOutcome, SentCallback };

export type FakeAnswer =
  | { readonly kind: 'accept'; readonly outcome?: CarrierOutcome } // outcome: delivered when not said
  | { readonly kind: 'error'; readonly status: number; readonly code: number; readonly message: string }
  | { readonly kind: 'hang' } // never answers: the client's timeout must end it
  | { readonly kind: 'gate'; readonly until: Promise<void> }; // accepts once `until` resolves

export interface ReceivedMessage {
  readonly accountSid: string;
  readonly username: string;
  readonly password: string;
  readonly to: string | null;
  readonly from: string | null;
  readonly messagingServiceSid: string | null;
  readonly body: string | null;
  readonly statusCallback: string | null;
  /** The SID given to an accepted text. */
  sid?: string;
  /** How the fake answered: 'accept', or the HTTP status of the error, or 'hang'. */
  answer?: string;
}

export interface FakeTwilio {
  readonly url: string;
  readonly received: ReceivedMessage[];
  /** Answers to give, in order; once used up, every request is accepted. */
  script(...answers: FakeAnswer[]): void;
  /** Status callbacks made so far, with the app's HTTP answer. */
  readonly callbacks: SentCallback[];
  /** Resolves once every callback due (those of fallback texts included) has been answered. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export interface FakeTwilioOptions {
  /** The account's auth token, which signs callbacks; the basic auth password when not given. */
  readonly authToken?: string;
  /** Wait before the first callback: a real carrier takes a second or more. */
  readonly callbackDelayMs?: number;
}

export const rejectInvalidNumber: FakeAnswer = {
  kind: 'error',
  status: 400,
  code: 21211,
  message: "The 'To' number +15005550001 is not a valid phone number.",
};
export const rateLimited: FakeAnswer = { kind: 'error', status: 429, code: 20429, message: 'Too Many Requests' };
export const serverError: FakeAnswer = { kind: 'error', status: 500, code: 20500, message: 'Internal Server Error' };

export async function startFakeTwilio(
  credentials: { username: string; password: string },
  options: FakeTwilioOptions = {},
): Promise<FakeTwilio> {
  const received: ReceivedMessage[] = [];
  const callbacks: SentCallback[] = [];
  const pending = new Set<Promise<void>>();
  const signing = { authToken: options.authToken ?? credentials.password, delayMs: options.callbackDelayMs ?? 100 };
  let answers: FakeAnswer[] = [];
  const hanging = new Set<ServerResponse>();

  const server = createServer(async (request, response) => {
    const match = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Messages\.json$/.exec(request.url ?? '');
    if (request.method !== 'POST' || !match?.[1])
      return sendJson(response, 404, twilioError(404, 20404, 'The requested resource was not found'));
    const [username, password] = decodeBasicAuth(request.headers.authorization);
    if (username !== credentials.username || password !== credentials.password) {
      return sendJson(response, 401, twilioError(401, 20003, 'Authenticate'));
    }
    const form = new URLSearchParams(await readText(request));
    const message: ReceivedMessage = {
      accountSid: match[1],
      username,
      password,
      to: form.get('To'),
      from: form.get('From'),
      messagingServiceSid: form.get('MessagingServiceSid'),
      body: form.get('Body'),
      statusCallback: form.get('StatusCallback'),
    };
    received.push(message);
    const answer = answers.shift() ?? { kind: 'accept' };
    message.answer = answer.kind === 'error' ? String(answer.status) : answer.kind === 'gate' ? 'accept' : answer.kind;
    if (answer.kind === 'hang') {
      hanging.add(response);
      return;
    }
    if (answer.kind === 'gate') await answer.until;
    if (answer.kind === 'error')
      return sendJson(response, answer.status, twilioError(answer.status, answer.code, answer.message));
    const resource = messageResource(message);
    message.sid = resource.sid;
    sendJson(response, 201, resource);
    if (message.statusCallback) {
      const outcome = (answer.kind === 'accept' && answer.outcome) || { status: 'delivered' };
      const done = sendStatusCallbacks({ ...message, sid: resource.sid }, outcome, signing, callbacks);
      pending.add(done);
      void done.finally(() => pending.delete(done));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    received,
    script: (...next) => {
      answers = next;
    },
    callbacks,
    settled: async () => {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    close: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function twilioError(status: number, code: number, message: string) {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

function messageResource(message: ReceivedMessage) {
  const sid = `SM${randomBytes(16).toString('hex')}`;
  return {
    sid,
    account_sid: message.accountSid,
    to: message.to,
    from: message.from,
    messaging_service_sid: message.messagingServiceSid,
    body: message.body,
    status: 'queued',
    num_segments: '1',
    direction: 'outbound-api',
    api_version: '2010-04-01',
    price: null,
    error_code: null,
    date_created: new Date().toUTCString(),
    uri: `/2010-04-01/Accounts/${message.accountSid}/Messages/${sid}.json`,
  };
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function decodeBasicAuth(header: string | undefined): [string, string] {
  const encoded = /^Basic (.+)$/.exec(header ?? '')?.[1] ?? '';
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? ['', ''] : [decoded.slice(0, colon), decoded.slice(colon + 1)];
}

async function readText(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
