// The notify function with the real twilio SDK against a fake Twilio on 127.0.0.1.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Notification } from '../../functions/core/notification.js';
import { compilePattern } from '../../functions/core/patterns.js';
import { toQueueMessage } from '../../functions/core/texts/queue-message.js';
import { loadNotifySettings } from '../../functions/shells/settings/notify-settings.js';
import { createDuplicateFilter } from '../../functions/shells/sms/duplicate-filter.js';
import { createNotifyHandler, DeliveryError } from '../../functions/shells/sms/notify-handler.js';
import { consoleSender } from '../../functions/shells/sms/sms-sender.js';
import { createTwilioSender } from '../../functions/shells/sms/twilio-sender.js';
import {
  type FakeTwilio,
  rateLimited,
  rejectInvalidNumber,
  serverError,
  startFakeTwilio,
} from '../helpers/fake-twilio.js';
import { recordingContext } from '../helpers/fixtures.js';

const accountSid = `AC${'a1'.repeat(16)}`;
const authToken = 'f3c2b1a0e9d8c7b6a5f4e3d2c1b0a9f8';
const oncall = '+15551230001';
const lead = '+15551230002';

const blocked: Notification = {
  type: 'blocked',
  cluster: 'prod-aks',
  kind: 'Deployment',
  namespace: 'shop',
  name: 'web',
  operation: 'CREATE',
  subResource: undefined,
  user: 'alice@contoso.com',
  uid: 'uid-1',
  at: '2026-11-22T10:00:00.000Z',
  reason: '2 replicas, minimum is 3',
  fix: 'Set spec.replicas >= 3 and re-apply.',
};
const expectedText =
  '[prod-aks] BLOCKED deployment shop/web by alice@contoso.com: 2 replicas, minimum is 3. Set spec.replicas >= 3 and re-apply.';

let twilio: FakeTwilio;
beforeAll(async () => {
  twilio = await startFakeTwilio({ username: accountSid, password: authToken });
});
afterAll(() => twilio.close());
beforeEach(() => {
  twilio.received.length = 0;
  twilio.script();
});

function twilioNotify(extra: Record<string, string> = {}) {
  const settings = loadNotifySettings({
    OPS_PHONE_NUMBERS: `${oncall}, ${lead}`,
    TWILIO_ACCOUNT_SID: accountSid,
    TWILIO_AUTH_TOKEN: authToken,
    TWILIO_FROM: '+15005550006',
    TWILIO_API_URL: twilio.url,
    TWILIO_TIMEOUT_MS: '1000',
    ...extra,
  });
  if (!settings.twilio) throw new Error('expected Twilio settings');
  return createNotifyHandler({
    settings,
    sender: createTwilioSender(settings.twilio),
    duplicates: createDuplicateFilter(settings.duplicateWindowMs),
  });
}

async function run(handler: ReturnType<typeof twilioNotify>, message: unknown = toQueueMessage(blocked)) {
  const { context, lines } = recordingContext();
  const outcome = await handler(message, context).then(
    () => 'completed',
    (error: unknown) => error,
  );
  return { outcome, lines, text: lines.map((line) => line.text).join('\n') };
}

describe('notify through Twilio', () => {
  it('texts every ops number once, from TWILIO_FROM, with basic auth', async () => {
    const { outcome } = await run(twilioNotify());
    expect(outcome).toBe('completed');
    expect(twilio.received.map((m) => [m.to, m.from, m.body, m.username])).toEqual(
      expect.arrayContaining([
        [oncall, '+15005550006', expectedText, accountSid],
        [lead, '+15005550006', expectedText, accountSid],
      ]),
    );
    expect(twilio.received).toHaveLength(2);
  });

  it('sends through a messaging service when one is configured', async () => {
    await run(twilioNotify({ TWILIO_FROM: '', TWILIO_MESSAGING_SERVICE_SID: `MG${'0f'.repeat(16)}` }));
    expect(twilio.received[0]).toMatchObject({ from: null, messagingServiceSid: `MG${'0f'.repeat(16)}` });
  });

  it('gives up on an invalid number (21211), logs the code, and still texts the others', async () => {
    twilio.script(rejectInvalidNumber);
    const { outcome, text } = await run(twilioNotify());
    expect(outcome).toBe('completed');
    expect(twilio.received).toHaveLength(2);
    expect(text).toContain('"event":"sms.undeliverable"');
    expect(text).toContain('"errorCode":"twilio-21211"');
  });

  it('fails the invocation on a rate limit (429) so the queue retries, and the retry texts only who was missed', async () => {
    const notify = twilioNotify();
    twilio.script(rateLimited);
    const first = await run(notify);
    expect(first.outcome).toBeInstanceOf(DeliveryError);
    expect(first.text).toContain('"errorCode":"twilio-20429"');
    const missed = twilio.received.find((_, index) => index === 0)?.to;

    const retry = await run(notify);
    expect(retry.outcome).toBe('completed');
    expect(twilio.received).toHaveLength(3);
    expect(twilio.received[2]?.to).toBe(missed);
    expect(retry.text).toContain('"event":"sms.duplicate"');
  });

  it('fails the invocation when Twilio answers 500', async () => {
    twilio.script(serverError, serverError);
    const { outcome, text } = await run(twilioNotify());
    expect((outcome as Error).message).toBe('sms delivery failed for 2 of 2 recipients; the message will be retried');
    expect(text).toContain('"errorCode":"twilio-20500"');
  });

  it('fails the invocation when Twilio does not answer within TWILIO_TIMEOUT_MS', async () => {
    twilio.script({ kind: 'hang' }, { kind: 'hang' });
    const started = Date.now();
    const { outcome, text } = await run(twilioNotify());
    expect(outcome).toBeInstanceOf(DeliveryError);
    expect(Date.now() - started).toBeLessThan(5000); // bounded by the timeout, not by the fake
    expect(text).toContain('"errorCode":"network-ECONNABORTED"');
  });

  it('sends one text when the same notification is delivered twice', async () => {
    const notify = twilioNotify();
    await run(notify);
    await run(notify, JSON.stringify(toQueueMessage({ ...blocked, uid: 'uid-2', at: '2026-11-22T10:01:00.000Z' })));
    expect(twilio.received).toHaveLength(2);
  });

  it('texts again when the duplicate window is 0', async () => {
    const notify = twilioNotify({ SMS_DUPLICATE_WINDOW_SECONDS: '0' });
    await run(notify);
    await run(notify);
    expect(twilio.received).toHaveLength(4);
  });

  it('refuses a malformed queue message so it ends on the poison queue', async () => {
    const { outcome, lines } = await run(twilioNotify(), '{"version": 1, "notification": {"type": "blocked"}}');
    expect(outcome).toBeInstanceOf(DeliveryError);
    expect((outcome as Error).message).toMatch(
      /^queue message is not a notification: notification\.kind: .*; notification\.namespace: Invalid input: expected string/,
    );
    expect(lines[0]?.text).toContain('INVALID_MESSAGE');
    expect(twilio.received).toHaveLength(0);
  });

  it('never logs a phone number, the auth token or the text', async () => {
    twilio.script(rejectInvalidNumber, serverError);
    const { text } = await run(twilioNotify());
    for (const secret of [oncall, lead, authToken, '+15005550001', 'alice@contoso.com'])
      expect(text).not.toContain(secret);
  });
});

describe('notification routes from the policy file', () => {
  it('texts the numbers routed to the namespace instead of OPS_PHONE_NUMBERS', async () => {
    const settings = loadNotifySettings({
      OPS_PHONE_NUMBERS: oncall,
      TWILIO_ACCOUNT_SID: accountSid,
      TWILIO_AUTH_TOKEN: authToken,
      TWILIO_FROM: '+15005550006',
      TWILIO_API_URL: twilio.url,
    });
    if (!settings.twilio) throw new Error('expected Twilio settings');
    const routes = [{ namespaces: [compilePattern('prod-*')], to: ['+15551230009'] }];
    const notify = createNotifyHandler({
      settings,
      sender: createTwilioSender(settings.twilio),
      duplicates: createDuplicateFilter(0),
      routes,
    });
    await run(notify, toQueueMessage({ ...blocked, namespace: 'prod-shop' }));
    await run(notify, toQueueMessage({ ...blocked, namespace: 'dev-shop' }));
    expect(twilio.received.map((message) => message.to)).toEqual(['+15551230009', oncall]);
  });
});

describe('notify without Twilio', () => {
  it('writes the text to the log, naming the recipient by position only', async () => {
    const settings = loadNotifySettings({ OPS_PHONE_NUMBERS: oncall });
    expect(settings.twilio).toBeUndefined();
    const notify = createNotifyHandler({ settings, sender: consoleSender, duplicates: createDuplicateFilter(0) });
    const { outcome, lines } = await run(notify);
    expect(outcome).toBe('completed');
    const consoleLine = lines.map((line) => JSON.parse(line.text)).find((entry) => entry.event === 'sms.console');
    expect(consoleLine).toEqual({ event: 'sms.console', recipient: 0, body: expectedText });
    expect(lines.map((line) => line.text).join('\n')).not.toContain(oncall);
  });

  it('still shows the text when no numbers are configured', async () => {
    const notify = createNotifyHandler({
      settings: loadNotifySettings({}),
      sender: consoleSender,
      duplicates: createDuplicateFilter(0),
    });
    const { lines } = await run(notify);
    expect(lines.some((line) => line.text.includes('"event":"sms.console"'))).toBe(true);
  });
});
