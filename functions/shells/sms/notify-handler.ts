// The notify function: one queue message (one notification) in, one text per
// recipient out, within the flood budget. A recipient whose number can never receive
// texts is logged and skipped; any other failure fails the invocation so the host
// retries the message, skipping recipients already texted, and finally moves it to
// the poison queue. After each message, summaries whose window has ended are sent.
import type { InvocationContext } from '@azure/functions';
import type { ErrorCode, NotificationRoute } from '../../core/index.js';
import { formatSms, matchesAny, parseQueueMessage } from '../../core/index.js';
import type { NotifySettings } from '../settings/notify-settings.js';
import { deliverText } from './deliver-text.js';
import type { DuplicateFilter } from './duplicate-filter.js';
import { type BudgetLimits, createMemoryBudget, type FloodBudget } from './flood-budget.js';
import { describeUnreadMessage } from './read-message-subject.js';
import { createSummarySender, type SummarySender } from './send-summaries.js';
import type { SmsSender } from './sms-sender.js';

export interface NotifyDependencies {
  readonly settings: NotifySettings;
  readonly sender: SmsSender;
  readonly duplicates: DuplicateFilter;
  /** Shared (Azure Tables) or this process's; the defaults below when not given. */
  readonly budget?: FloodBudget;
  /** From the policy file: namespaces whose texts go to other numbers than OPS_PHONE_NUMBERS. */
  readonly routes?: readonly NotificationRoute[];
  readonly now?: () => number;
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
};

export function createNotifyHandler(dependencies: NotifyDependencies): NotifyHandler {
  const { settings, sender, duplicates, routes = [], now = Date.now } = dependencies;
  const budget = dependencies.budget ?? createMemoryBudget(defaultBudgetLimits);
  // The console sink needs no numbers; it still shows the one text that would go out.
  const fallback = settings.recipients.length > 0 || sender.name === 'twilio' ? settings.recipients : ['console'];
  const recipientsFor = (namespace: string): readonly string[] => {
    const routed = routes.filter((route) => matchesAny(route.namespaces, namespace)).flatMap((route) => route.to);
    return routed.length > 0 ? [...new Set(routed)] : fallback;
  };
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
    const body = formatSms(notification);
    const recipients = recipientsFor(notification.namespace);
    const tools = { sender, duplicates, budget, now };
    const outcomes = await Promise.all(
      recipients.map((to, recipient) => deliverText({ notification, body, to, recipient }, tools, context)),
    ).catch((error: unknown) => {
      // Twilio failures are handled per recipient; what escapes is the state table's.
      const line = { event: 'sms.state-failed', errorCode: 'STATE_UNAVAILABLE', status: statusOf(error) };
      context.error(JSON.stringify({ ...line, uid: notification.uid, namespace: notification.namespace }));
      throw new StateError(error);
    });
    await sendSummaries(context).catch((error: unknown) => {
      // The timer tries again within a minute; this text's outcome does not depend on it.
      context.warn(JSON.stringify({ event: 'sms.summary-failed', errorCode: errorName(error) }));
    });
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
    const swept = await budget.sweep(now());
    if (sent > 0 || swept > 0) context.log(JSON.stringify({ event: 'sms.timer', summaries: sent, swept }));
  }
  return Object.assign(notify, { sendSummaries, onTimer });
}

function dequeueCount(context: InvocationContext): number | undefined {
  const count = context.triggerMetadata?.dequeueCount;
  return typeof count === 'number' ? count : undefined;
}

function statusOf(error: unknown): number | undefined {
  const status = typeof error === 'object' && error !== null ? Reflect.get(error, 'statusCode') : undefined;
  return typeof status === 'number' ? status : undefined;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'unknown';
}
