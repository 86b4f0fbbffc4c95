// The notify function: one queue message (one notification) in, one text per
// recipient out, within the flood budget. A recipient whose number can never receive
// texts is logged and skipped; any other failure fails the invocation so the host
// retries the message, skipping recipients already texted, and finally moves it to
// the poison queue. After each message, summaries whose window has ended are sent.
import type { InvocationContext } from '@azure/functions';
import type { ErrorCode, Notification, NotificationRoute } from '../../core/index.js';
import { formatSms, matchesAny, parseQueueMessage } from '../../core/index.js';
import { type ApprovalIssuing, addressBlockedText } from '../approvals/address-blocked-text.js';
import { sweepApprovals } from '../approvals/sweep-approvals.js';
import { withdrawUnsentCode } from '../approvals/withdraw-approval-code.js';
import type { NotifySettings } from '../settings/notify-settings.js';
import type { DigestCounter } from './daily-digest-counts.js';
import { deliverText } from './deliver-text.js';
import type { DeliveryReceipts } from './delivery-receipts.js';
import type { DuplicateFilter } from './duplicate-filter.js';
import { createEscalation } from './escalate-delivery.js';
import { type BudgetLimits, createMemoryBudget, type FloodBudget } from './flood-budget.js';
import { describeUnreadMessage } from './read-message-subject.js';
import { createSummarySender, type SummarySender } from './send-summaries.js';
import type { SmsSender } from './sms-sender.js';
import { createStatusHandler, type StatusHandler } from './status-handler.js';
import { statusOf } from './table-rows.js';

export interface NotifyDependencies {
  readonly settings: NotifySettings;
  readonly sender: SmsSender;
  readonly duplicates: DuplicateFilter;
  /** Shared (Azure Tables) or this process's; the defaults below when not given. */
  readonly budget?: FloodBudget;
  /** From the policy file: namespaces whose texts go to other numbers than OPS_PHONE_NUMBERS. */
  readonly routes?: readonly NotificationRoute[];
  readonly now?: () => number;
  /** With SMS_STATUS_CALLBACK_URL and the state table: delivery receipts, and the sms-status handler. */
  readonly receipts?: ReceiptDependencies;
  /** With a route with `digest: true` and the state table: counts each notification for the daily digest. */
  readonly countForDigest?: DigestCounter;
  /** With the state table: approve by reply (a BLOCKED text with an offer gets a one-time code). */
  readonly approvals?: ApprovalIssuing;
}

export interface ReceiptDependencies {
  readonly store: DeliveryReceipts;
  readonly accountSid: string;
  readonly callback: { readonly url: string; readonly authToken: string };
}

/** The app settings' defaults (SMS_BUDGET_*). */
export const defaultBudgetLimits: BudgetLimits = { windowMs: 600_000, perCluster: 30, perRecipient: 10 };

/** The shared state could not be read or written; the host retries the message. */
export class StateError extends Error {
  readonly code = 'STATE_UNAVAILABLE' satisfies ErrorCode;
  constructor(cause: unknown) {
    super('the state table (duplicates, text budgets) could not be read or written; the message will be retried', {
      cause,
    });
    this.name = 'StateError';
  }
}

/** Thrown so the host retries; the message names counts and codes only. */
export class DeliveryError extends Error {
  readonly code = 'SMS_DELIVERY_FAILED' satisfies ErrorCode;
  constructor(message: string) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export type NotifyHandler = ((message: unknown, context: InvocationContext) => Promise<void>) & {
  /** Sends the summaries that are due. */
  readonly sendSummaries: SummarySender;
  /** The timer's work: due summaries, then rows of windows and duplicates that are over. */
  readonly onTimer: (context: InvocationContext) => Promise<void>;
  /** Twilio's status callbacks; only with receipts. */
  readonly onStatus: StatusHandler | undefined;
};

export function createNotifyHandler(dependencies: NotifyDependencies): NotifyHandler {
  const { settings, sender, duplicates, routes = [], now = Date.now } = dependencies;
  const budget = dependencies.budget ?? createMemoryBudget(defaultBudgetLimits);
  // The console sink needs no numbers; it still shows the one text that would go out.
  const fallback = settings.recipients.length > 0 || sender.name === 'twilio' ? settings.recipients : ['console'];
  const recipientsFor = (namespace: string) => routedRecipients(routes, fallback, namespace);
  const everyone = [...new Set([...fallback, ...routes.flatMap((route) => route.to)])];
  const sendSummaries = createSummarySender(budget, sender, everyone, now);

  async function notify(message: unknown, context: InvocationContext): Promise<void> {
    const parsed = parseQueueMessage(message);
    if ('error' in parsed) {
      const line = { event: 'sms.invalid', errorCode: 'INVALID_MESSAGE', dequeueCount: dequeueCount(context) };
      context.error(JSON.stringify({ ...line, ...describeUnreadMessage(message) }));
      throw new DeliveryError(parsed.error); // retried, then kept on the poison queue for inspection
    }
    const { notification } = parsed.value;
    const tools = { sender, duplicates, budget, now, receipts: dependencies.receipts?.store };
    const counting = dependencies.countForDigest?.(notification, context); // never fails; beside the texts
    const failed = stateFailure(notification, context);
    const namespace = notification.namespace;
    const addressed = await addressBlockedText(
      notification,
      formatSms(notification),
      recipientsFor(namespace),
      dependencies.approvals,
      now(),
      context,
    ).catch(failed);
    const recipients = addressed.texts;
    const outcomes = await Promise.all(
      recipients.map(({ to, route, body, keptBody }, recipient) =>
        deliverText({ notification, body, keptBody, to, recipient, route }, tools, context),
      ),
    ).catch(failed);
    await withdrawUnsentCode(addressed, outcomes, context);
    await sendSummaries(context).catch((error: unknown) => {
      // The timer tries again within a minute; this text's outcome does not depend on it.
      context.warn(JSON.stringify({ event: 'sms.summary-failed', errorCode: errorName(error) }));
    });
    await counting;
    const retries = outcomes.filter((outcome) => outcome === 'retry').length;
    if (retries > 0)
      throw new DeliveryError(
        `sms delivery failed for ${retries} of ${recipients.length} recipients; the message will be retried`,
      );
    const busy = outcomes.filter((outcome) => outcome === 'busy').length;
    if (busy > 0)
      throw new DeliveryError(
        `the same text is being sent by another invocation for ${busy} of ${recipients.length} recipients; the message will be retried`,
      );
  }
  async function onTimer(context: InvocationContext): Promise<void> {
    const sent = await sendSummaries(context);
    const approvals = await sweepApprovalsOnTimer(dependencies.approvals, now(), context);
    const swept = (await budget.sweep(now())) + ((await dependencies.receipts?.store.sweep(now())) ?? 0) + approvals;
    if (sent > 0 || swept > 0) context.log(JSON.stringify({ event: 'sms.timer', summaries: sent, swept }));
  }
  return Object.assign(notify, { sendSummaries, onTimer, onStatus: createOnStatus(dependencies, routes, now) });
}

function createOnStatus(dependencies: NotifyDependencies, routes: readonly NotificationRoute[], now: () => number) {
  const { receipts, sender } = dependencies;
  if (!receipts) return undefined;
  const escalate = createEscalation(routes, sender, receipts.store, now);
  return createStatusHandler({ ...receipts, receipts: receipts.store, escalate, now });
}

/** The numbers of the routes for `namespace`, or OPS_PHONE_NUMBERS (`fallback`) when none matches; each once. */
function routedRecipients(
  routes: readonly NotificationRoute[],
  fallback: readonly string[],
  namespace: string,
): readonly { to: string; route: string }[] {
  const routed = routes.flatMap((route, index) =>
    matchesAny(route.namespaces, namespace) ? route.to.map((to) => ({ to, route: `routes[${index}]` })) : [],
  );
  const list = routed.length > 0 ? routed : fallback.map((to) => ({ to, route: 'ops' }));
  return list.filter((entry, index) => list.findIndex((other) => other.to === entry.to) === index);
}

/** A failing approvals sweep must not stop the budget's and the receipts' (logged, tried next minute). */
async function sweepApprovalsOnTimer(
  approvals: ApprovalIssuing | undefined,
  now: number,
  context: InvocationContext,
): Promise<number> {
  if (!approvals) return 0;
  return sweepApprovals(approvals.rows, now).catch((error: unknown) => {
    context.warn(JSON.stringify({ event: 'approval.sweep-failed', errorCode: errorName(error) }));
    return 0;
  });
}

/** Twilio failures are handled per recipient; what escapes is the state table's: the message is retried. */
function stateFailure(notification: Notification, context: InvocationContext) {
  return (error: unknown): never => {
    const line = { event: 'sms.state-failed', errorCode: 'STATE_UNAVAILABLE', status: statusOf(error) };
    context.error(JSON.stringify({ ...line, uid: notification.uid, namespace: notification.namespace }));
    throw new StateError(error);
  };
}

function dequeueCount(context: InvocationContext): number | undefined {
  const count = context.triggerMetadata?.dequeueCount;
  return typeof count === 'number' ? count : undefined;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'unknown';
}
