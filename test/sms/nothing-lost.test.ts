// Nothing admission can produce is lost between the queue and the phone: the queue
// message accepts any size of workload (summarised before it is queued, cut with a
// marker when read), stays within Azure's 64 KiB once base64-encoded as the host
// writes it, and a message that still cannot be read names its object in the log.
import { describe, expect, it } from 'vitest';
import { admission, smsQueue } from '../../functions/admission.js';
import { maxQueueMessageBytes } from '../../functions/core/texts/fit-queue-message.js';
import { loadNotifySettings } from '../../functions/shells/settings/notify-settings.js';
import { createDuplicateFilter } from '../../functions/shells/sms/duplicate-filter.js';
import { createNotifyHandler, DeliveryError } from '../../functions/shells/sms/notify-handler.js';
import type { SmsSender } from '../../functions/shells/sms/sms-sender.js';
import { loadFixture, recordingContext, reviewRequest } from '../helpers/fixtures.js';

const azureQueueLimit = 64 * 1024;

function deploymentWith(containers: { name: string; image: string }[]) {
  const review = loadFixture('v1-create-deployment-3-replicas.json');
  review.request.object.spec.template.spec.containers = containers;
  return review;
}

/** Admission, then the queue as the host runs it (base64 text), then notify: the texts sent. */
async function throughTheQueue(review: unknown) {
  const { context } = recordingContext();
  const response = await admission(reviewRequest(review), context);
  expect(response.status).toBe(200);
  const queued = context.extraOutputs.get(smsQueue);
  if (!Array.isArray(queued)) throw new Error('nothing was queued');
  const encoded = queued.map((message) => Buffer.from(JSON.stringify(message)).toString('base64'));
  const texts: string[] = [];
  const send = async (_to: string, body: string) => {
    texts.push(body);
    return { sid: 's' };
  };
  const sender: SmsSender = { name: 'console', send };
  const notify = createNotifyHandler({
    settings: loadNotifySettings({ OPS_PHONE_NUMBERS: '+15551230001' }),
    sender,
    duplicates: createDuplicateFilter(0),
  });
  for (const text of encoded)
    await notify(JSON.parse(Buffer.from(text, 'base64').toString()), recordingContext().context);
  return { encoded, texts };
}

describe('nothing lost between admission and the phone', () => {
  it('texts NEW for a Deployment with 201 containers', async () => {
    const containers = Array.from({ length: 201 }, (_, index) => ({ name: `c${index}`, image: `app:${index}` }));
    const { encoded, texts } = await throughTheQueue(deploymentWith(containers));
    expect(encoded.every((text) => text.length <= azureQueueLimit)).toBe(true);
    const shown = Array.from({ length: 9 }, (_, index) => `"app:${index}"`).join(', ');
    expect(texts).toEqual([`NEW deployment shop/web by alice@contoso.com: 3 replicas, images ${shown} (+192 more)`]);
  });

  it('summarises a 1 MiB workload under the 64 KiB queue limit, and still texts NEW', async () => {
    const image = (index: number) => `registry.example.com/${String(index).padEnd(53_000, 'x')}:1`;
    const containers = Array.from({ length: 20 }, (_, index) => ({ name: `c${index}`, image: image(index) }));
    const review = deploymentWith(containers);
    expect(JSON.stringify(review).length).toBeGreaterThan(1024 * 1024);
    const { encoded, texts } = await throughTheQueue(review);
    expect(encoded).toHaveLength(1);
    expect(encoded[0]?.length).toBeLessThanOrEqual(azureQueueLimit);
    expect(Buffer.from(encoded[0] ?? '', 'base64').length).toBeLessThanOrEqual(maxQueueMessageBytes);
    expect(texts).toEqual([
      expect.stringContaining(
        'NEW deployment shop/web by alice@contoso.com: 3 replicas, images "registry[.]example[.]com/0',
      ),
    ]);
  });

  it('names the object in the log line of a message it cannot read, which then goes to poison', async () => {
    const notify = createNotifyHandler({
      settings: loadNotifySettings({}),
      sender: { name: 'console', send: async () => ({ sid: 's' }) },
      duplicates: createDuplicateFilter(0),
    });
    const { context, lines } = recordingContext();
    const broken = {
      version: 1,
      notification: { type: 'created', kind: 'Deployment', namespace: 'shop', name: 'web' },
    };
    await expect(notify(broken, context)).rejects.toBeInstanceOf(DeliveryError);
    expect(JSON.parse(lines[0]?.text ?? '{}')).toMatchObject({
      event: 'sms.invalid',
      errorCode: 'INVALID_MESSAGE',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'web',
    });
  });
});
