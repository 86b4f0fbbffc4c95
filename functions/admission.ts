// Registers the `admission` HTTP function: POST /api/admission, function key required.
// Its notifications leave through the SMS queue output binding.
import { app } from '@azure/functions';
import { createAdmissionApprovalClaims } from './shells/http/admission-approval-claims.js';
import { createAdmissionHandler } from './shells/http/admission-handler.js';
import { loadPolicy } from './shells/load-policy.js';
import { createQueueSink } from './shells/queue/queue-sink.js';
import { smsQueueOutput } from './shells/queue/sms-queue.js';
import { admissionSettings } from './shells/settings/process-settings.js';
import { readStateStorage } from './shells/settings/state-storage.js';

const settings = admissionSettings();
const { policy } = await loadPolicy(settings.policyFile, settings.minReplicas);
export const smsQueue = smsQueueOutput(settings.smsQueueName);

export const admission = createAdmissionHandler({
  settings,
  policy,
  now: () => new Date(),
  sendNotifications: createQueueSink(smsQueue),
  // Storage is read only when the policy offers approvals; the claims connect on first use.
  approvalClaims: createAdmissionApprovalClaims(policy, () => readStateStorage(process.env), console.log),
});

app.http('admission', {
  methods: ['POST'],
  authLevel: 'function',
  route: 'admission',
  extraOutputs: [smsQueue],
  handler: admission,
});
