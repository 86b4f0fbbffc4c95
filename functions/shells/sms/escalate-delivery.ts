// A text the carrier did not deliver goes to its route's fallback numbers, once per
// text: the claim on the text's row (an ETag update) lets one callback through, and a
// text to a fallback number is never escalated again. A number marked undeliverable
// is skipped here as everywhere, logged and counted.
import type { InvocationContext } from '@azure/functions';
import { matchesAny, type NotificationRoute } from '../../core/index.js';
import type { DeliveryReceipts, MessageRecord } from './delivery-receipts.js';
import { recipientId } from './duplicate-filter.js';
import type { SmsSender } from './sms-sender.js';
import { classifyTwilioFailure } from './twilio-failure.js';

export type Escalation = (message: MessageRecord, context: InvocationContext) => Promise<void>;

export function createEscalation(
  routes: readonly NotificationRoute[],
  sender: SmsSender,
  receipts: DeliveryReceipts,
  now: () => number,
): Escalation {
  return async (message, context) => {
    const about = { sid: message.sid, route: message.route, recipient: message.recipientIndex };
    const matching = routes.filter((route) => matchesAny(route.namespaces, message.namespace));
    const fallbacks = [...new Set(matching.flatMap((route) => route.fallback ?? []))];
    if (fallbacks.length === 0) {
      context.warn(JSON.stringify({ event: 'sms.no-fallback', ...about, namespace: message.namespace }));
      return;
    }
    if (!(await receipts.claimEscalation(message.sid, now()))) return; // another callback has it, or had it
    for (const [index, to] of fallbacks.entries()) {
      if (await isSuppressed(receipts, to, { ...about, fallback: index }, context)) continue;
      try {
        const { sid } = await sender.send(to, message.body, index, context);
        const { namespace, cluster, body } = message;
        const record = {
          sid,
          recipient: recipientId(to),
          recipientIndex: index,
          route: 'fallback',
          namespace,
          cluster,
        };
        await receipts.recordSent({ ...record, body, fallbackOf: message.sid }, now());
        context.log(JSON.stringify({ event: 'sms.escalated', ...about, fallback: index, fallbackSid: sid }));
      } catch (error) {
        // Once per text: a fallback that cannot be texted now is logged, not retried.
        const { code } = classifyTwilioFailure(error);
        const line = { event: 'sms.escalation-failed', ...about, fallback: index, errorCode: 'SMS_DELIVERY_FAILED' };
        context.error(JSON.stringify({ ...line, reason: code }));
      }
    }
    await receipts.finishEscalation(message.sid);
  };
}

/**
 * True (logged, and counted on the number's row) when the number is marked
 * undeliverable: a carrier said it can never receive texts, and it has not been reset.
 */
export async function isSuppressed(
  receipts: DeliveryReceipts | undefined,
  to: string,
  log: Record<string, unknown>,
  context: InvocationContext,
): Promise<boolean> {
  const mark = await receipts?.skipIfMarked(recipientId(to));
  if (!mark) return false;
  const line = { event: 'sms.suppressed', ...log, errorCode: 'RECIPIENT_UNDELIVERABLE', twilioCode: mark.errorCode };
  context.warn(JSON.stringify({ ...line, skipped: mark.skipped }));
  return true;
}
