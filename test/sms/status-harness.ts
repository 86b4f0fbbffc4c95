// notify and sms-status wired as the function app wires them, against Azurite (the
// state table), the fake Twilio (which makes signed status callbacks) and the
// sms-status function on a real port. One route: namespace shop texts the on-call
// phone, with a fallback phone for texts the carrier does not deliver.

import type { Notification } from '../../functions/core/notification.js';
import { compilePattern } from '../../functions/core/patterns.js';
import { toQueueMessage } from '../../functions/core/texts/queue-message.js';
import { loadNotifySettings } from '../../functions/shells/settings/notify-settings.js';
import { createDeliveryReceipts } from '../../functions/shells/sms/delivery-receipts.js';
import { createDuplicateFilter, recipientId } from '../../functions/shells/sms/duplicate-filter.js';
import { createNotifyHandler } from '../../functions/shells/sms/notify-handler.js';
import { createTableRows, type TableRows } from '../../functions/shells/sms/table-rows.js';
import { createTwilioSender } from '../../functions/shells/sms/twilio-sender.js';
import type { FakeTwilio } from '../helpers/fake-twilio.js';
import { recordingContext } from '../helpers/fixtures.js';
import type { StatusEndpoint } from './status-endpoint.js';

export const accountSid = `AC${'c3'.repeat(16)}`;
export const authToken = 'a7d0c4e1f2b3a4c5d6e7f8091a2b3c4d';
export const oncall = '+15551230001';
export const backup = '+15551230002';

export function blockedIn(namespace: string, uid: string): Notification {
  return {
    type: 'blocked',
    cluster: 'prod-aks',
    kind: 'Deployment',
    namespace,
    name: `web-${uid}`,
    operation: 'CREATE',
    subResource: undefined,
    user: 'alice@contoso.com',
    uid,
    at: '2026-11-22T10:00:00.000Z',
    reason: '2 replicas, minimum is 3',
    fix: 'Set spec.replicas >= 3 and re-apply.',
  };
}

export interface Harness {
  readonly rows: TableRows;
  /** Runs notify on one notification; resolves with its log lines once every callback was answered. */
  text(notification: Notification): Promise<string>;
  /** The row of a text, by its SID. */
  messageRow(sid: string): Promise<Record<string, unknown> | undefined>;
  /** The undeliverable mark of a number. */
  markOf(number: string): Promise<Record<string, unknown> | undefined>;
}

export function startHarness(
  twilio: FakeTwilio,
  endpoint: StatusEndpoint,
  rows: TableRows,
  extra: Record<string, string> = {},
): Harness {
  const settings = loadNotifySettings({
    OPS_PHONE_NUMBERS: '+15551230009',
    TWILIO_ACCOUNT_SID: accountSid,
    TWILIO_AUTH_TOKEN: authToken,
    TWILIO_FROM: '+15005550006',
    TWILIO_API_URL: twilio.url,
    SMS_STATUS_CALLBACK_URL: endpoint.url,
    ...extra,
  });
  const callback = settings.twilio?.statusCallback;
  if (!settings.twilio || !callback) throw new Error('expected Twilio settings with a status callback');
  const store = createDeliveryReceipts(rows, settings.undeliverableResetAt);
  const notify = createNotifyHandler({
    settings,
    sender: createTwilioSender(settings.twilio),
    duplicates: createDuplicateFilter(0),
    routes: [{ namespaces: [compilePattern('shop')], to: [oncall], fallback: [backup] }],
    receipts: { store, accountSid, callback },
  });
  endpoint.handler = notify.onStatus;
  return {
    rows,
    async text(notification) {
      const { context, lines } = recordingContext();
      await notify(toQueueMessage(notification), context);
      await twilio.settled();
      return lines.map((line) => line.text).join('\n');
    },
    messageRow: async (sid) => (await rows.get('message', sid))?.values,
    markOf: async (number) => (await rows.get('undeliverable', recipientId(number)))?.values,
  };
}

let tables = 0;
export function freshRows(connectionString: string): TableRows {
  return createTableRows({ type: 'connection-string', connectionString }, `receipts${++tables}${Date.now() % 100000}`);
}
