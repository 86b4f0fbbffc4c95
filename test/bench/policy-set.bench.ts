// npm run bench: the decision under the shipped policy set (deploy/policies/: Pod
// Security baseline and restricted, best practices; 23 CEL rules), per object: a
// typical Deployment that passes them all, and the worst cases the API server can send
// (3 MiB objects), which the runtime cost budget stops.
import { bench, describe } from 'vitest';
import { admissionReviewSchema } from '../../functions/core/admission-review.js';
import { decide } from '../../functions/core/decide.js';
import { parsePolicyText } from '../../functions/core/policy/parse-policy.js';
import { readTarget } from '../../functions/core/workload.js';
import { combinedPolicyText, deploymentOf, goodContainer, goodPodSpec } from '../policies/shipped-policy.js';

const { policy } = parsePolicyText('policy-set.yaml', combinedPolicyText());
const now = new Date();
const mebibytes3 = 3 * 1024 * 1024;

function reviewOf(object: unknown): string {
  return JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: 'bench',
      kind: { group: 'apps', version: 'v1', kind: 'Deployment' },
      resource: { group: 'apps', version: 'v1', resource: 'deployments' },
      name: 'web',
      namespace: 'shop',
      operation: 'CREATE',
      userInfo: { username: 'bench' },
      object: { ...deploymentOf(goodPodSpec()), ...(object ?? {}) },
    },
  });
}

/** JSON.parse, the schema, the workload view and the decision: what the function does with a body. */
function decideBody(body: string) {
  const { request } = admissionReviewSchema.parse(JSON.parse(body));
  const target = readTarget(request);
  if ('error' in target) throw new Error(target.error);
  return decide(request, target.value, policy, { cluster: 'bench', now });
}

const typical = reviewOf(undefined);
if (!decideBody(typical).allowed) throw new Error('the typical Deployment should pass the policy set');

/** The same without the decision: the difference is the decision's time. */
function readBody(body: string) {
  const { request } = admissionReviewSchema.parse(JSON.parse(body));
  return readTarget(request);
}

/** A Deployment grown to 3 MiB by `grow`, given how many bytes to add. */
function grownTo3MiB(grow: (bytes: number) => object): string {
  const body = reviewOf(grow(mebibytes3 - typical.length - 200));
  if (body.length > mebibytes3) throw new Error(`the object is ${body.length} bytes`);
  return body;
}

const perContainer = JSON.stringify(goodContainer('c00000')).length + 1;
const manyContainers = grownTo3MiB((bytes) =>
  deploymentOf({
    ...goodPodSpec(),
    containers: Array.from({ length: Math.floor(bytes / perContainer) }, (_, index) =>
      goodContainer(`c${String(index).padStart(5, '0')}`),
    ),
  }),
);
const hugeImage = grownTo3MiB((bytes) =>
  deploymentOf({ ...goodPodSpec(), containers: [{ ...goodContainer(), image: `${'a'.repeat(bytes)}:1` }] }),
);
const hugeAnnotation = grownTo3MiB((bytes) =>
  deploymentOf(goodPodSpec(), 3, { 'container.apparmor.security.beta.kubernetes.io/web': 'x'.repeat(bytes) }),
);
const manyPorts = grownTo3MiB((bytes) =>
  deploymentOf({
    ...goodPodSpec(),
    containers: [
      {
        ...goodContainer(),
        ports: Array.from({ length: Math.floor(bytes / 36) }, (_, index) => ({ containerPort: 1 + (index % 60000) })),
      },
    ],
  }),
);

const quick = { time: 2000, warmupTime: 500 };
const slow = { time: 0, iterations: 5, warmupIterations: 1, warmupTime: 0 };

describe('policy set: Pod Security baseline + restricted + best practices (23 CEL rules)', () => {
  // Each review is parsed afresh, as the function gets it: its objects are converted
  // for CEL once and its cost budget starts at zero.
  bench(
    'typical Deployment, JSON.parse + schema + view, no decision',
    () => {
      readBody(typical);
    },
    quick,
  );
  bench(
    'typical Deployment, JSON.parse + schema + decide',
    () => {
      decideBody(typical);
    },
    quick,
  );
  bench(
    '3 MiB: compliant containers (about 7,600)',
    () => {
      decideBody(manyContainers);
    },
    slow,
  );
  bench(
    '3 MiB: one image name of 3 Mi characters',
    () => {
      decideBody(hugeImage);
    },
    slow,
  );
  bench(
    '3 MiB: one AppArmor annotation of 3 Mi characters',
    () => {
      decideBody(hugeAnnotation);
    },
    slow,
  );
  bench(
    '3 MiB: one container with ports (about 87,000)',
    () => {
      decideBody(manyPorts);
    },
    slow,
  );
});
