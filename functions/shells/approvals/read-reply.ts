// The form Twilio posts for an incoming SMS, read field by field (nothing else is
// kept), and what the text asks for. Keywords follow Twilio's conventions: STOP and
// its synonyms opt out (Twilio acts on them itself; we answer nothing), START and its
// synonyms opt back in (likewise), HELP and INFO get a help text. Nothing but
// `APPROVE <6 digits>` can approve: read after NFKC normalization, so a phone that
// writes full-width letters and digits (`ＡＰＰＲＯＶＥ　４８２９１３`) is understood;
// digits of other scripts, a code of another length or words after it are not.
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

export type ReplyForm =
  | { readonly params: Readonly<Record<string, string>> }
  | { readonly params: Readonly<Record<string, string>>; readonly repeated: string };

const fieldName = /^[A-Za-z]{1,40}$/;

/**
 * The form's fields. Twilio sends each once; a field sent twice would be signed over
 * both values but read as one, so such a form is malformed (`repeated` names the field
 * when it is a plain name; the values are never echoed).
 */
export function readReplyForm(body: string): ReplyForm {
  const params: Record<string, string> = {};
  let repeated: string | undefined;
  for (const [name, value] of new URLSearchParams(body)) {
    if (Object.hasOwn(params, name)) repeated ??= fieldName.test(name) ? name : 'a field';
    params[name] = value;
  }
  return repeated === undefined ? { params } : { params, repeated };
}

/** Undefined when a field Twilio always sends is missing or malformed. */
export function readIncomingReply(params: Readonly<Record<string, string>>): IncomingReply | undefined {
  const { MessageSid: messageSid = '', From: from = '', To: to = '', Body: body = '' } = params;
  const service = params.MessagingServiceSid;
  if (!sidPattern.test(messageSid) || !e164Pattern.test(from) || !e164Pattern.test(to)) return undefined;
  if (service !== undefined && !serviceSidPattern.test(service)) return undefined;
  return { messageSid, from, to, messagingServiceSid: service, body };
}

export function readReplyRequest(body: string): ReplyRequest {
  const text = body.normalize('NFKC');
  const words = text.trim().toUpperCase().split(/\s+/);
  const approve = /^\s*APPROVE\s+([0-9]{6})\s*$/i.exec(text);
  if (approve?.[1]) return { kind: 'approve', code: approve[1] };
  const [first = ''] = words;
  if (words.length === 1 && stopWords.has(first)) return { kind: 'opt-out' };
  if (words.length === 1 && startWords.has(first)) return { kind: 'opt-in' };
  if (words.length === 1 && helpWords.has(first)) return { kind: 'help' };
  return { kind: 'unknown' };
}
