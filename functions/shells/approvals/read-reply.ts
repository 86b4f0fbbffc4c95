// The form Twilio posts for an incoming SMS, read field by field (nothing else is
// kept), and what the text asks for. Keywords follow Twilio's conventions: STOP and
// its synonyms opt out (Twilio acts on them itself; we answer nothing), START and its
// synonyms opt back in (likewise), HELP and INFO get a help text. Nothing but
// `APPROVE <6 digits>` can approve.
import { e164Pattern } from '../../core/index.js';

export interface IncomingReply {
  readonly messageSid: string;
  readonly from: string;
  readonly to: string;
  readonly messagingServiceSid: string | undefined;
  readonly body: string;
}

export type ReplyRequest =
  | { readonly kind: 'approve'; readonly code: string }
  | { readonly kind: 'opt-out' | 'opt-in' | 'help' | 'unknown' };

const sidPattern = /^(SM|MM)[0-9a-f]{32}$/;
const serviceSidPattern = /^MG[0-9a-fA-F]{32}$/;
const stopWords = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE']);
const startWords = new Set(['START', 'YES', 'UNSTOP']);
const helpWords = new Set(['HELP', 'INFO']);

/** Undefined when a field Twilio always sends is missing or malformed. */
export function readIncomingReply(params: Readonly<Record<string, string>>): IncomingReply | undefined {
  const { MessageSid: messageSid = '', From: from = '', To: to = '', Body: body = '' } = params;
  const service = params.MessagingServiceSid;
  if (!sidPattern.test(messageSid) || !e164Pattern.test(from) || !e164Pattern.test(to)) return undefined;
  if (service !== undefined && !serviceSidPattern.test(service)) return undefined;
  return { messageSid, from, to, messagingServiceSid: service, body };
}

export function readReplyRequest(body: string): ReplyRequest {
  const words = body.trim().toUpperCase().split(/\s+/);
  const approve = /^\s*APPROVE\s+(\d{6})\s*$/i.exec(body);
  if (approve?.[1]) return { kind: 'approve', code: approve[1] };
  const [first = ''] = words;
  if (words.length === 1 && stopWords.has(first)) return { kind: 'opt-out' };
  if (words.length === 1 && startWords.has(first)) return { kind: 'opt-in' };
  if (words.length === 1 && helpWords.has(first)) return { kind: 'help' };
  return { kind: 'unknown' };
}
