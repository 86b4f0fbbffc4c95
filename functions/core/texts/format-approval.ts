// The texts of approve by reply: the line a BLOCKED text ends with, and the answers
// to a reply (TwiML, so they reach only the phone that replied). GSM-7, one or two
// segments; the code is never cut. Numbers appear masked (`+44...1234`), names made
// safe as in every other text. Pure: times come in as milliseconds since the epoch.
import { countSegments, fitSegments, toGsm7 } from './gsm7.js';
import { safeName } from './user-text.js';

/** What a reply's answer names: the object, where, and by which rules it was blocked. */
export interface ApprovalSubject {
  readonly cluster: string;
  readonly namespace: string;
  readonly kind: string;
  readonly name: string;
  readonly rules: readonly string[];
}

/** `Reply APPROVE 482913 within 15 min to admit this exact change once.` */
export function formatReplyLine(code: string, ttlMinutes: number, required: 1 | 2): string {
  const line = `Reply APPROVE ${code} within ${ttlMinutes} min to admit this exact change once`;
  return required === 2 ? `${line}; 2 approvers must reply.` : `${line}.`;
}

/** The BLOCKED text cut, where needed, so that it and the whole reply line fit two segments. */
export function appendReplyLine(body: string, line: string): string {
  const whole = toGsm7(`${body} ${line}`);
  if (countSegments(whole).segments <= 2) return whole;
  const characters = [...toGsm7(body)];
  for (let end = characters.length - 1; end > 0; end--) {
    const candidate = `${characters.slice(0, end).join('')}... ${toGsm7(line)}`;
    if (countSegments(candidate).segments <= 2) return candidate;
  }
  return toGsm7(line);
}

/** `+44…1234`: the country code's first digits and the last four, as logs and warnings show a number. */
export function maskNumber(number: string): string {
  return number.length <= 7 ? '…' : `${number.slice(0, 3)}…${number.slice(-4)}`;
}

/** `approvers` already masked (maskNumber). */
export function formatApproved(subject: ApprovalSubject, approvers: readonly string[], until: number): string {
  const by = approvers.join(' and ');
  return finish(
    `${where(subject)}APPROVED ${what(subject)} by ${by}. Re-apply by ${clock(until)}; it is admitted once.`,
  );
}

export function formatAlreadyApproved(subject: ApprovalSubject, until: number): string {
  return finish(
    `${where(subject)}ALREADY APPROVED ${what(subject)}. Re-apply by ${clock(until)}; it is admitted once.`,
  );
}

/** Two-person rule: the first approval is noted; the answer says a second approver is needed. */
export function formatFirstOfTwo(subject: ApprovalSubject, until: number, again: boolean): string {
  const noted = again ? 'You already approved' : 'NOTED 1 of 2 approvals for';
  return finish(
    `${where(subject)}${noted} ${what(subject)}. Another approver must reply APPROVE with the code by ${clock(until)}.`,
  );
}

export const expiredCodeText = 'That code has expired. Re-apply the change: its new BLOCKED text has a new code.';
export const wrongCodeText = 'That code is not valid from this number.';

/** To the number locked out, once, as the answer to its last wrong code. */
export function formatLockedOut(lockMinutes: number): string {
  const text = `Too many wrong codes: approvals from this number are locked for ${duration(lockMinutes)}.`;
  return `${text} The other approvers have been told.`;
}

/** To the other approvers of the number locked out. */
export function formatLockoutNotice(number: string, failures: number, lockMinutes: number): string {
  const locked = `Approvals from ${maskNumber(number)} are locked for ${duration(lockMinutes)}`;
  return toGsm7(`${locked} after ${failures} wrong codes. If that was not them, their phone may be in other hands.`);
}

function duration(minutes: number): string {
  if (minutes % 60 !== 0) return `${minutes} min`;
  return minutes === 60 ? '1 hour' : `${minutes / 60} hours`;
}

export const helpText =
  'serverless-admission: to admit a blocked change, reply APPROVE and the 6-digit code from its BLOCKED text. Reply STOP to stop texts.';
export const unknownReplyText = `Not understood. ${helpText}`;

function where(subject: ApprovalSubject): string {
  return subject.cluster ? `[${safeName(subject.cluster)}] ` : '';
}

function what(subject: ApprovalSubject): string {
  const object = `${subject.kind.toLowerCase()} ${subject.namespace ? `${safeName(subject.namespace)}/` : ''}${safeName(subject.name)}`;
  const label = subject.rules.length === 1 ? 'rule' : 'rules';
  return subject.rules.length > 0 ? `${object} (${label} ${subject.rules.map(safeName).join(', ')})` : object;
}

/** `10:57 UTC`. */
function clock(time: number): string {
  return `${new Date(time).toISOString().slice(11, 16)} UTC`;
}

function finish(text: string): string {
  return fitSegments(toGsm7(text), 2);
}
