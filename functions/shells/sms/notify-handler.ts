// The notify function: one queue message (one notification) in, one text per
// recipient out. A recipient whose number can never receive texts is logged and
// skipped; any other failure fails the invocation so the host retries the message,
// skipping recipients already texted, and finally moves it to the poison queue.
import type { InvocationContext } from '@azure/functions';
import type { ErrorCode, NotificationRoute } from '../../core/index.js';
import { formatSms, matchesAny, parseQueueMessage } from '../../core/index.js';
import type { NotifySettings } from '../settings/notify-settings.js';
import type { DuplicateFilter } from './duplicate-filter.js';
import { duplicateKey } from './duplicate-filter.js';
import type { SmsSender } from './sms-sender.js';
import { classifyTwilioFailure } from './twilio-failure.js';

export interface NotifyDependencies {
  readonly settings: NotifySettings;
  readonly sender: SmsSender;
  readonly duplicates: DuplicateFilter;
  /** From the policy file: namespaces whose texts go to other numbers than OPS_PHONE_NUMBERS. */
  readonly routes?: readonly NotificationRoute[];
}

/** Thrown so the host retries; the message names counts and codes only. */
export class DeliveryError extends Error {
  readonly code = 'SMS_DELIVERY_FAILED' satisfies ErrorCode;
  constructor(message: string) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export type NotifyHandler = (message: unknown, context: InvocationContext) => Promise<void>;

export function createNotifyHandler({ settings, sender, duplicates, routes = [] }: NotifyDependencies): NotifyHandler {
  // The console sink needs no numbers; it still shows the one text that would go out.
  const fallback = settings.recipients.length > 0 || sender.name === 'twilio' ? settings.recipients : ['console'];
  const recipientsFor = (namespace: string): readonly string[] => {
    const routed = routes.filter((route) => matchesAny(route.namespaces, namespace)).flatMap((route) => route.to);
    return routed.length > 0 ? [...new Set(routed)] : fallback;
  };

  return async function notify(message, context) {
    const parsed = parseQueueMessage(message);
    if ('error' in parsed) {
      context.error(
        JSON.stringify({ event: 'sms.invalid', errorCode: 'INVALID_MESSAGE', dequeueCount: dequeueCount(context) }),
      );
      throw new DeliveryError(parsed.error); // retried, then kept on the poison queue for inspection
    }
    const { notification } = parsed.value;
    const body = formatSms(notification);
    const recipients = recipientsFor(notification.namespace);
    const about = {
      type: notification.type,
      uid: notification.uid,
      namespace: notification.namespace,
      name: notification.name,
    };

    const outcomes = await Promise.all(
      recipients.map(async (to, recipient) => {
        const key = duplicateKey(notification, to);
        if (!duplicates.claim(key)) {
          context.log(JSON.stringify({ event: 'sms.duplicate', ...about, recipient }));
          return 'skipped';
        }
        try {
          const sent = await sender.send(to, body, recipient, context);
          duplicates.confirm(key);
          context.log(JSON.stringify({ event: 'sms.sent', ...about, recipient, sender: sender.name, sid: sent.sid }));
          return 'sent';
        } catch (error) {
          duplicates.release(key);
          const failure = classifyTwilioFailure(error);
          const line = {
            event: failure.retry ? 'sms.failed' : 'sms.undeliverable',
            ...about,
            recipient,
            errorCode: failure.code,
            reason: failure.description,
          };
          context.error(JSON.stringify(line));
          return failure.retry ? 'retry' : 'given-up';
        }
      }),
    );
    const retries = outcomes.filter((outcome) => outcome === 'retry').length;
    if (retries > 0)
      throw new DeliveryError(
        `sms delivery failed for ${retries} of ${recipients.length} recipients; the message will be retried`,
      );
  };
}

function dequeueCount(context: InvocationContext): number | undefined {
  const count = context.triggerMetadata?.dequeueCount;
  return typeof count === 'number' ? count : undefined;
}
