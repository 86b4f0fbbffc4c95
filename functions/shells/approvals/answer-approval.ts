// What an `APPROVE <code>` reply gets: refused while its number is locked out; else
// the code is looked up among the offers texted to that number. A code that matches
// nothing is a wrong code, counted toward the lockout (the 5th in 15 minutes locks the
// number for an hour: it is told once, in this answer, and the other approvers by
// text). Each outcome is one log line: an event name, the number masked, the object.
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
import { countWrongCode, isLockedOut, lockoutPolicy } from './reply-lockout.js';

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
  if (await isLockedOut(tools.rows, approver.id, now))
    return { text: '', line: { event: 'approval.refused', reason: 'locked-out', ...who } };
  const outcome = await recordApproval(tools.rows, approver, code, now, tools.ttlMs);
  switch (outcome.kind) {
    case 'no-match':
      return countAndAnswer(from, tools, now, context);
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

async function countAndAnswer(from: string, tools: ApprovalTools, now: number, context: InvocationContext) {
  const id = recipientId(from);
  const { failures, locked } = await countWrongCode(tools.rows, id, now);
  const who = { from: maskNumber(from), failures };
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
