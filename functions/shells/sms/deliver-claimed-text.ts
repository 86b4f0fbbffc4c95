// One text that a timer claimed with a row's ETag (the dead man's switch's SILENT and
// BACK, the daily digest), sent to every recipient the row says it has not reached.
// Each spends from the flood budget; a recipient over budget, or whom Twilio could not
// reach for now, is left for the next round; a number that can never receive texts is
// given up, as in notify. Logs name the recipient's position, never the number.
import type { InvocationContext } from '@azure/functions';
import { recipientId } from './duplicate-filter.js';
import type { FloodBudget } from './flood-budget.js';
import type { SmsSender } from './sms-sender.js';
import { classifyTwilioFailure } from './twilio-failure.js';

export interface ClaimedText {
  readonly cluster: string;
  readonly text: string;
  /** recipientId of each recipient already reached (or given up). */
  readonly sentTo: readonly string[];
  /** The log line's `event` and `kind`: what was sent. */
  readonly event: string;
  readonly kind: string;
}

export interface ClaimedTextTools {
  readonly sender: SmsSender;
  readonly budget: FloodBudget;
  readonly recipients: readonly string[];
  readonly now: () => number;
}

export interface ClaimedTextResult {
  /** Every recipient reached or given up: nothing left for a later round. */
  readonly done: boolean;
  readonly sentTo: readonly string[];
  readonly texts: number;
}

export async function deliverClaimedText(
  claimed: ClaimedText,
  { sender, budget, recipients, now }: ClaimedTextTools,
  context: InvocationContext,
): Promise<ClaimedTextResult> {
  const reached = new Set(claimed.sentTo);
  const time = now();
  const outcomes = await Promise.all(
    recipients.map(async (to, recipient) => {
      const scope = { cluster: claimed.cluster, recipient: recipientId(to) };
      if (reached.has(scope.recipient)) return 'reached before';
      const log = { event: claimed.event, cluster: claimed.cluster, kind: claimed.kind, recipient };
      if (!(await budget.spend(scope, time))) {
        context.warn(JSON.stringify({ ...log, outcome: 'held', retry: 'next round' }));
        return 'later';
      }
      try {
        const { sid } = await sender.send(to, claimed.text, recipient, context);
        context.log(JSON.stringify({ ...log, outcome: 'sent', sender: sender.name, sid }));
        reached.add(scope.recipient);
        return 'sent';
      } catch (error) {
        const failure = classifyTwilioFailure(error);
        if (failure.retry) await budget.refund(scope, time);
        else reached.add(scope.recipient); // this number can never receive texts: as notify, given up
        const outcome = failure.retry ? 'failed' : 'undeliverable';
        context.error(JSON.stringify({ ...log, outcome, errorCode: failure.code, reason: failure.description }));
        return failure.retry ? 'later' : 'given up';
      }
    }),
  );
  const done = !outcomes.includes('later');
  return { done, sentTo: done ? [] : [...reached], texts: outcomes.filter((outcome) => outcome === 'sent').length };
}
