// From admission to text: the admission function only writes queue messages; the
// notify function, fed those messages, talks to (fake) Twilio.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { admission, smsQueue } from '../../functions/admission.js';
import { loadNotifySettings } from '../../functions/shells/settings/notify-settings.js';
import { createDuplicateFilter } from '../../functions/shells/sms/duplicate-filter.js';
import { createNotifyHandler } from '../../functions/shells/sms/notify-handler.js';
import { createTwilioSender } from '../../functions/shells/sms/twilio-sender.js';
import { type FakeTwilio, startFakeTwilio } from '../helpers/fake-twilio.js';
import { loadFixture, recordingContext, reviewRequest } from '../helpers/fixtures.js';

async function admit(fixture: string | object) {
  const { context } = recordingContext();
  const review = typeof fixture === 'string' ? loadFixture(fixture) : fixture;
  const response = await admission(reviewRequest(review), context);
  return { response, queued: context.extraOutputs.get(smsQueue) as unknown[] | undefined };
}

describe('admission writes notifications to the SMS queue', () => {
  it.each([
    ['a denial', 'v1-create-deployment-2-replicas.json', 'blocked'],
    ['a new application', 'v1-create-deployment-3-replicas.json', 'created'],
    ['an image change', 'v1-update-deployment-image.json', 'changed'],
    ['a denied kubectl scale', 'v1-update-scale-to-1.json', 'blocked'],
  ])('queues one message for %s', async (_what, fixture, type) => {
    const { queued } = await admit(fixture);
    expect(queued).toEqual([
      { version: 1, notification: expect.objectContaining({ type, namespace: 'shop', name: 'web' }) },
    ]);
  });

  it.each([
    ['a dry run', 'v1-create-deployment-dry-run.json'],
    ['a labels-only update', 'v1-update-deployment-labels-only.json'],
    ['a DELETE', 'v1-delete-deployment.json'],
  ])('queues nothing for %s', async (_what, fixture) => {
    const { response, queued } = await admit(fixture);
    expect(response.status).toBe(200);
    expect(queued).toBeUndefined();
  });

  it('queues nothing for a request it refuses', async () => {
    const { response, queued } = await admit({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' });
    expect(response.status).toBe(400);
    expect(queued).toBeUndefined();
  });
});

describe('admission never waits on Twilio', () => {
  const accountSid = `AC${'ab'.repeat(16)}`;
  const authToken = 'token_0123456789abcdef';
  let twilio: FakeTwilio;
  beforeAll(async () => {
    twilio = await startFakeTwilio({ username: accountSid, password: authToken });
  });
  afterAll(() => twilio.close());

  it('answers reviews while Twilio is stalled, and the stalled text is sent once Twilio answers', async () => {
    const settings = loadNotifySettings({
      OPS_PHONE_NUMBERS: '+15551230001',
      TWILIO_ACCOUNT_SID: accountSid,
      TWILIO_AUTH_TOKEN: authToken,
      TWILIO_FROM: '+15005550006',
      TWILIO_API_URL: twilio.url,
      TWILIO_TIMEOUT_MS: '30000',
    });
    if (!settings.twilio) throw new Error('expected Twilio settings');
    const notify = createNotifyHandler({
      settings,
      sender: createTwilioSender(settings.twilio),
      duplicates: createDuplicateFilter(0),
    });

    let openGate = () => {};
    twilio.script({ kind: 'gate', until: new Promise<void>((resolve) => (openGate = resolve)) });
    const first = await admit('v1-create-deployment-2-replicas.json');
    let notifyDone = false;
    const delivery = notify(first.queued?.[0], recordingContext().context).then(() => (notifyDone = true));
    await vi.waitFor(() => expect(twilio.received).toHaveLength(1));

    // Twilio holds the first text; the webhook keeps answering, and sends nothing itself.
    for (const fixture of [
      'v1-create-deployment-3-replicas.json',
      'v1-update-deployment-image.json',
      'v1-update-scale-to-1.json',
    ]) {
      const { response } = await admit(fixture);
      expect(response.status).toBe(200);
    }
    expect(notifyDone).toBe(false);
    expect(twilio.received).toHaveLength(1);

    openGate();
    await delivery;
    expect(notifyDone).toBe(true);
    expect(twilio.received[0]?.body).toMatch(
      /^BLOCKED deployment shop\/web by alice@contoso\.com: rule minimum-replicas: "2 replicas, minimum is 3"/,
    );
  });
});
