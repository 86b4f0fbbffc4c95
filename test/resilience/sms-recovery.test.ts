// Twilio failing with 429 and 500 for a while, then recovering: every text is
// eventually sent, exactly once per recipient, through the same retry path the queue
// gives (the development host's in-memory queue, with the host's maxDequeueCount).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInMemoryQueue } from '../../deploy/local/in-memory-queue.js';
import type { Notification } from '../../functions/core/notification.js';
import { toQueueMessage } from '../../functions/core/texts/queue-message.js';
import { loadNotifySettings } from '../../functions/shells/settings/notify-settings.js';
import { createDuplicateFilter } from '../../functions/shells/sms/duplicate-filter.js';
import { createMemoryBudget } from '../../functions/shells/sms/flood-budget.js';
import { createNotifyHandler } from '../../functions/shells/sms/notify-handler.js';
import { createTwilioSender } from '../../functions/shells/sms/twilio-sender.js';
import { type FakeTwilio, rateLimited, serverError, startFakeTwilio } from '../helpers/fake-twilio.js';
import { recordingContext } from '../helpers/fixtures.js';
import { secretsFoundIn } from '../helpers/secrets-in-logs.js';

const accountSid = `AC${'c3'.repeat(16)}`;
const authToken = 'tok_recovery_0123456789abcdef';
const numbers = ['+15551230101', '+15551230102'];
const host = JSON.parse(readFileSync(new URL('../../host.json', import.meta.url), 'utf8'));

let twilio: FakeTwilio;
beforeAll(async () => {
  twilio = await startFakeTwilio({ username: accountSid, password: authToken });
});
afterAll(() => twilio.close());

describe('texts while Twilio fails and recovers', () => {
  it('sends every text exactly once per recipient, and logs no number or token', async () => {
    const settings = loadNotifySettings({
      OPS_PHONE_NUMBERS: numbers.join(','),
      TWILIO_ACCOUNT_SID: accountSid,
      TWILIO_AUTH_TOKEN: authToken,
      TWILIO_FROM: '+15005550006',
      TWILIO_API_URL: twilio.url,
      TWILIO_TIMEOUT_MS: '2000',
    });
    if (!settings.twilio) throw new Error('expected Twilio settings');
    const notify = createNotifyHandler({
      settings,
      sender: createTwilioSender(settings.twilio),
      duplicates: createDuplicateFilter(settings.duplicateWindowMs),
      // 15 texts per phone: past the default flood budget of 10, which is not what this tests.
      budget: createMemoryBudget({ windowMs: 600_000, perCluster: 1000, perRecipient: 1000 }),
    });
    twilio.script(...Array.from({ length: 40 }, (_, index) => (index % 2 === 0 ? rateLimited : serverError)));

    const logs: string[] = [];
    const poisoned: unknown[] = [];
    const queue = createInMemoryQueue(
      async (message, dequeueCount) => {
        const { context, lines } = recordingContext();
        try {
          await notify(message, Object.assign(context, { triggerMetadata: { dequeueCount } }));
        } finally {
          logs.push(...lines.map((line) => line.text));
        }
      },
      {
        maxDequeueCount: host.extensions.queues.maxDequeueCount,
        retryDelayMs: 5,
        onPoison: (message) => poisoned.push(message),
      },
    );
    const notifications: Notification[] = Array.from({ length: 15 }, (_, index) => ({
      type: 'blocked',
      cluster: 'prod-aks',
      kind: 'Deployment',
      namespace: 'shop',
      name: `app-${index}`,
      operation: 'CREATE',
      subResource: undefined,
      user: 'alice',
      uid: `u${index}`,
      at: '2026-11-22T10:00:00.000Z',
      reason: '2 replicas, minimum is 3',
      fix: 'Set spec.replicas >= 3 and re-apply.',
    }));
    queue.enqueue(notifications.map(toQueueMessage));
    await queue.drained();

    expect(poisoned).toEqual([]);
    const accepted = twilio.received
      .filter((message) => message.answer === 'accept')
      .map((message) => `${message.to} ${message.body}`);
    expect(accepted).toHaveLength(notifications.length * numbers.length);
    expect(new Set(accepted).size).toBe(accepted.length);
    expect(twilio.received.length).toBeGreaterThan(accepted.length); // the failures really happened
    const text = logs.join('\n');
    const [firstNumber = '', secondNumber = ''] = numbers;
    expect(secretsFoundIn(text, { authToken, firstNumber, secondNumber })).toEqual([]);
  }, 60_000);
});
