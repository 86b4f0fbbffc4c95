// What an `APPROVE <code>` reply gets: refused while its number is locked out, or while
// its 15 minutes' five guesses are taken; else the code is looked up among the offers
// texted to that number. A code that matches nothing is a wrong code and keeps its
// guess (the 5th in 15 minutes locks the number for an hour: it is told once, in this
// answer, and the other approvers by text); a code that matches gives its guess back.
// Each outcome is one log line: an event name, the number masked, the object.
import type { InvocationContext } from '@azure/functions';
import {
  type ApprovalSubject,
  expiredCodeText,
  formatAlreadyApproved,
  formatApproved,
  formatFirstOfTwo,
  formatLockedOut,
  formatLockoutNotice,
  maskNumber,
  wrongCodeText,
} from '../../core/index.js';
import { recipientId } from '../sms/duplicate-filter.js';
import type { SmsSender } from '../sms/sms-sender.js';
import type { TableRows } from '../sms/table-rows.js';
import { recordApproval } from './record-approval.js';
import { isLockedOut, lockOut, lockoutPolicy, releaseGuess, reserveGuess } from './reply-lockout.js';

/** How long the answer waits for the lockout notices to the other approvers. */
const noticeWaitMs = 5000;

export interface ApprovalTools {
  readonly rows: TableRows;
  readonly sender: SmsSender;
  /** The approvers who share a route with `number`, itself left out: told when it is locked out. */
  readonly otherApprovers: (number: string) => readonly string[];
  readonly ttlMs: number;
}

export interface Answer {
  /** The text sent back ('' for none). */
  readonly text: string;
  /** The log line: event and allowlisted fields. */
  readonly line: Readonly<Record<string, unknown>>;
}

export async function answerApproval(
  from: string,
  code: string,
  tools: ApprovalTools,
  now: number,
  context: InvocationContext,
): Promise<Answer> {
  const approver = { id: recipientId(from), masked: maskNumber(from) };
  const who = { from: approver.masked };
  const lockedOut = { text: '', line: { event: 'approval.refused', reason: 'locked-out', ...who } };
  if (await isLockedOut(tools.rows, approver.id, now)) return lockedOut;
  const failures = await reserveGuess(tools.rows, approver.id, now);
  if (failures === undefined) return lockedOut;
  const outcome = await recordApproval(tools.rows, approver, code, now, tools.ttlMs);
  if (outcome.kind === 'no-match') return answerWrongCode(from, failures, tools, now, context);
  // A lost give-back leaves a right code counted for 15 minutes: toward a lockout, never a guess more.
  await releaseGuess(tools.rows, approver.id, now).catch(() => undefined);
  switch (outcome.kind) {
    case 'expired':
      return { text: expiredCodeText, line: refused('expired', who, outcome.subject) };
    case 'already-granted':
      return {
        text: formatAlreadyApproved(outcome.subject, outcome.until),
        line: refused('used', who, outcome.subject),
      };
    case 'first-of-two': {
      const text = formatFirstOfTwo(outcome.subject, outcome.until, outcome.again);
      if (outcome.again) return { text, line: refused('same-approver', who, outcome.subject) };
      return { text, line: { event: 'approval.recorded', ...who, ...about(outcome.subject), of: 2 } };
    }
    case 'granted': {
      const until = new Date(outcome.until).toISOString();
      const line = { event: 'approval.granted', ...who, ...about(outcome.subject), until };
      return { text: formatApproved(outcome.subject, outcome.approvers, outcome.until), line };
    }
  }
}

async function answerWrongCode(
  from: string,
  failures: number,
  tools: ApprovalTools,
  now: number,
  context: InvocationContext,
): Promise<Answer> {
  const who = { from: maskNumber(from), failures };
  const locked = failures >= lockoutPolicy.failures && (await lockOut(tools.rows, recipientId(from), now));
  if (!locked) return { text: wrongCodeText, line: { event: 'approval.refused', reason: 'wrong-code', ...who } };
  const lockMinutes = lockoutPolicy.lockMs / 60_000;
  const notice = formatLockoutNotice(from, failures, lockMinutes);
  const others = tools.otherApprovers(from);
  // Told by text, beside the answer, waited for at most noticeWaitMs so that the answer
  // stays inside Twilio's 15 s; a text still on its way is counted as pending.
  const told = { sent: 0, failed: 0 };
  const sends = others.map((to, index) =>
    tools.sender.send(to, notice, index, context).then(
      () => void told.sent++,
      () => void told.failed++,
    ),
  );
  await Promise.race([Promise.all(sends), new Promise((resolve) => setTimeout(resolve, noticeWaitMs).unref())]);
  const pending = others.length - told.sent - told.failed;
  const line = { event: 'approval.locked-out', ...who, lockMinutes, told: told.sent, notTold: told.failed, pending };
  return { text: formatLockedOut(lockMinutes), line };
}

function refused(reason: string, who: { from: string }, subject: ApprovalSubject) {
  return { event: 'approval.refused', reason, ...who, ...about(subject) };
}

function about(subject: ApprovalSubject) {
  const { cluster, namespace, kind, name, rules } = subject;
  return { cluster, namespace, kind, name, rules };
}
