// One text to one recipient: skipped when it is a duplicate, held when the flood
// budget is spent, otherwise sent. Every outcome is one log line with counts and the
// recipient's position, never the number.
import type { InvocationContext } from '@azure/functions';
import type { Notification } from '../../core/index.js';
import type { DeliveryReceipts } from './delivery-receipts.js';
import { type DuplicateFilter, duplicateKey, recipientId } from './duplicate-filter.js';
import { isSuppressed } from './escalate-delivery.js';
import type { FloodBudget } from './flood-budget.js';
import type { SmsSender } from './sms-sender.js';
import { classifyTwilioFailure } from './twilio-failure.js';

export type DeliveryOutcome = 'sent' | 'skipped' | 'held' | 'busy' | 'retry' | 'given-up';

export interface Delivery {
  readonly notification: Notification;
  readonly body: string;
  /**
   * What the text's receipt row keeps, and a fallback number is sent, when not `body`:
   * a BLOCKED text without its approval code (codes are stored only hashed, and are
   * valid only from the approvers they were texted to).
   */
  readonly keptBody?: string;
  readonly to: string;
  /** Position of the recipient in its list: what the logs name. */
  readonly recipient: number;
  /** The list: `ops` (OPS_PHONE_NUMBERS) or `routes[N]` of the policy file. */
  readonly route: string;
}

export interface DeliveryTools {
  readonly sender: SmsSender;
  readonly duplicates: DuplicateFilter;
  readonly budget: FloodBudget;
  readonly now: () => number;
  /** With SMS_STATUS_CALLBACK_URL: rows for Twilio's callbacks, and the numbers marked undeliverable. */
  readonly receipts?: DeliveryReceipts;
}

export async function deliverText(
  delivery: Delivery,
  tools: DeliveryTools,
  context: InvocationContext,
): Promise<DeliveryOutcome> {
  const { notification, to, recipient } = delivery;
  const { sender, duplicates, budget } = tools;
  const about = { type: notification.type, uid: notification.uid, namespace: notification.namespace };
  const log = { ...about, name: notification.name, cluster: notification.cluster, recipient };
  if (await isSuppressed(tools.receipts, to, log, context)) return 'given-up';
  const key = duplicateKey(notification, to);
  const claim = await duplicates.claim(key);
  if (claim !== 'claimed') {
    // busy: another invocation is sending this very text; retry once it is done.
    context.log(JSON.stringify({ event: claim === 'busy' ? 'sms.busy' : 'sms.duplicate', ...log }));
    return claim === 'busy' ? 'busy' : 'skipped';
  }
  const now = tools.now();
  const scope = { cluster: notification.cluster ?? '', recipient: recipientId(to) };
  if (!(await spendOrRelease(budget, scope, now, duplicates, key))) {
    const heldInWindow = await budget.hold(scope, notification.type, now);
    await duplicates.confirm(key); // the summary stands for it; a retry must not count it twice
    context.warn(JSON.stringify({ event: 'sms.held', ...log, heldInWindow, windowMinutes: budget.windowMs / 60_000 }));
    return 'held';
  }
  let sid: string;
  try {
    sid = (await sender.send(to, delivery.body, recipient, context)).sid;
  } catch (error) {
    await duplicates.release(key);
    const failure = classifyTwilioFailure(error);
    if (failure.retry) await budget.refund(scope, now); // the retry spends it again
    const event = failure.retry ? 'sms.failed' : 'sms.undeliverable';
    context.error(JSON.stringify({ event, ...log, errorCode: failure.code, reason: failure.description }));
    return failure.retry ? 'retry' : 'given-up';
  }
  // Outside the try: a state failure after the text went out must not be taken for a
  // Twilio failure (that would release the claim and text it again on the retry).
  context.log(JSON.stringify({ event: 'sms.sent', ...log, sender: sender.name, sid }));
  await duplicates.confirm(key);
  await recordReceipt(delivery, sid, tools, context);
  return 'sent';
}

/** The text's row for Twilio's callbacks; without it, only its escalation is lost, so a failure is logged. */
async function recordReceipt(delivery: Delivery, sid: string, tools: DeliveryTools, context: InvocationContext) {
  const { notification, to, recipient, route, body: sentBody, keptBody } = delivery;
  const body = keptBody ?? sentBody;
  const { namespace, cluster = '' } = notification;
  const record = { sid, recipient: recipientId(to), recipientIndex: recipient, route, namespace, cluster, body };
  await tools.receipts?.recordSent(record, tools.now()).catch(() => {
    context.warn(
      JSON.stringify({ event: 'sms.receipt-unrecorded', sid, route, recipient, errorCode: 'STATE_UNAVAILABLE' }),
    );
  });
}

/** Spends from the budget; when the budget store fails, lets the text go to a retry. */
async function spendOrRelease(
  budget: FloodBudget,
  scope: { cluster: string; recipient: string },
  now: number,
  duplicates: DuplicateFilter,
  key: string,
): Promise<boolean> {
  try {
    return await budget.spend(scope, now);
  } catch (error) {
    await duplicates.release(key);
    throw error;
  }
}
