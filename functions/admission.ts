// Registers the `admission` HTTP function: POST /api/admission, function key required.
// Its notifications leave through the SMS queue output binding.
import { app } from '@azure/functions';
import { loadSettings } from './config/settings.js';
import { readSmsQueueName, smsQueueOutput } from './config/sms-queue.js';
import { createAdmissionHandler } from './http/admission-handler.js';
import { loadPolicy } from './policy/load-policy.js';
import { createQueueSink } from './sms/queue-sink.js';

const settings = loadSettings(process.env);
const { policy } = await loadPolicy(process.env, settings.minReplicas);
export const smsQueue = smsQueueOutput(readSmsQueueName(process.env));

export const admission = createAdmissionHandler({
  settings,
  policy,
  now: () => new Date(),
  sendNotifications: createQueueSink(smsQueue),
});

app.http('admission', {
  methods: ['POST'],
  authLevel: 'function',
  route: 'admission',
  extraOutputs: [smsQueue],
  handler: admission,
});
