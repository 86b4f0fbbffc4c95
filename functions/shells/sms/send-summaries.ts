// Sends the summaries of held events once their window has ended: from the timer
// (every minute) and after each notify invocation, whichever comes first. The budget
// hands each summary to one caller only, so two instances never both send it.
import type { InvocationContext } from '@azure/functions';
import { formatSummary } from '../../core/index.js';
import { recipientId } from './duplicate-filter.js';
import type { FloodBudget } from './flood-budget.js';
import type { SmsSender } from './sms-sender.js';
import { classifyTwilioFailure } from './twilio-failure.js';

export type SummarySender = (context: InvocationContext) => Promise<number>;

/** `recipients`: every number texts may go to (OPS_PHONE_NUMBERS and the policy's routes). */
export function createSummarySender(
  budget: FloodBudget,
  sender: SmsSender,
  recipients: readonly string[],
  now: () => number,
): SummarySender {
  const byId = new Map(recipients.map((to, index) => [recipientId(to), { to, index }]));
  return async (context) => {
    let sent = 0;
    for (const summary of await budget.takeDueSummaries(now())) {
      const recipient = byId.get(summary.recipient);
      const total = Object.values(summary.counts).reduce((sum, count) => sum + (count ?? 0), 0);
      const log = { cluster: summary.cluster, recipient: recipient?.index, held: total, counts: summary.counts };
      if (!recipient) {
        // The number is no longer configured: nobody to tell.
        context.warn(JSON.stringify({ event: 'sms.summary-dropped', ...log }));
        continue;
      }
      const body = formatSummary({
        cluster: summary.cluster || undefined,
        windowMinutes: Math.round(budget.windowMs / 60_000),
        counts: summary.counts,
      });
      try {
        const result = await sender.send(recipient.to, body, recipient.index, context);
        context.log(JSON.stringify({ event: 'sms.summary', ...log, sid: result.sid }));
        sent += 1;
      } catch (error) {
        const failure = classifyTwilioFailure(error);
        if (failure.retry) await budget.giveBack(summary);
        context.error(JSON.stringify({ event: 'sms.summary-failed', ...log, errorCode: failure.code }));
      }
    }
    return sent;
  };
}
