import { it } from 'vitest';
import { admissionReviewSchema } from '../../functions/core/admission-review.js';
import { decide } from '../../functions/core/decide.js';
import { parsePolicyText } from '../../functions/core/policy/parse-policy.js';
import { readTarget } from '../../functions/core/workload.js';
import { combinedPolicyText, deploymentOf, goodPodSpec } from './shipped-policy.js';
it('prof', () => {
  const { policy } = parsePolicyText('p', combinedPolicyText());
  const body = JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: 'b', kind: { group: 'apps', version: 'v1', kind: 'Deployment' }, resource: { group: 'apps', version: 'v1', resource: 'deployments' }, name: 'web', namespace: 'shop', operation: 'CREATE', userInfo: { username: 'b' }, object: deploymentOf(goodPodSpec()) } });
  const now = new Date();
  const t = performance.now();
  for (let i = 0; i < 10000; i++) {
    const { request } = admissionReviewSchema.parse(JSON.parse(body));
    const target = readTarget(request);
    if ('error' in target) throw new Error();
    decide(request, target.value, policy, { cluster: 'b', now });
  }
  console.log('per review µs', ((performance.now() - t) / 10).toFixed(0));
});
