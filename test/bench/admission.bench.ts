// npm run bench: reviews per second and latency percentiles (p99 among them) for the
// admission handler in process, and for the pure decision alone.

import { fileURLToPath } from 'node:url';
import { InvocationContext } from '@azure/functions';
import { bench, describe } from 'vitest';
import { admissionReviewSchema } from '../../functions/core/admission-review.js';
import { decide } from '../../functions/core/decide.js';
import { defaultPolicy } from '../../functions/core/policy.js';
import { readTarget } from '../../functions/core/workload.js';
import { createAdmissionHandler } from '../../functions/shells/http/admission-handler.js';
import { readPolicyFile } from '../../functions/shells/read-policy-file.js';
import { loadFixture, reviewRequest } from '../helpers/fixtures.js';

const handler = createAdmissionHandler({
  settings: { clusterName: 'bench' },
  policy: defaultPolicy(3),
  now: () => new Date(),
  sendNotifications: () => {},
});
// Log lines are formatted as in production, then dropped instead of printed.
const context = new InvocationContext({ functionName: 'admission', logHandler: () => {} });
const create = JSON.stringify(loadFixture('v1-create-deployment-3-replicas.json'));
const update = JSON.stringify(loadFixture('v1-update-deployment-image.json'));
const scale = JSON.stringify(loadFixture('v1-update-scale-to-1.json'));
const options = { time: 2000, warmupTime: 500 };

function withContainers(count: number): string {
  const review = loadFixture('v1-create-deployment-3-replicas.json');
  const [web] = review.request.object.spec.template.spec.containers;
  review.request.object.spec.template.spec.containers = Array.from({ length: count }, (_, index) => ({
    ...web,
    name: `c${index}`,
  }));
  return JSON.stringify(review);
}

function ofSize(bytes: number): string {
  const review = loadFixture('v1-create-deployment-3-replicas.json');
  const padding = 'x'.repeat(bytes - JSON.stringify(review).length - 30);
  review.request.object.metadata.annotations = {
    ...review.request.object.metadata.annotations,
    'bench/padding': padding,
  };
  return JSON.stringify(review);
}

const twentyContainers = withContainers(20);
const oneMebibyte = ofSize(1024 * 1024);

describe('admission handler, in process (HttpRequest -> AdmissionReview)', () => {
  bench(
    'typical Deployment CREATE (allowed, created notification)',
    async () => {
      await handler(reviewRequest(create), context);
    },
    options,
  );
  bench(
    'Deployment UPDATE with an image change (changed notification)',
    async () => {
      await handler(reviewRequest(update), context);
    },
    options,
  );
  bench(
    'Deployment with 20 containers (CREATE)',
    async () => {
      await handler(reviewRequest(twentyContainers), context);
    },
    options,
  );
  bench(
    '1 MiB object (CREATE)',
    async () => {
      await handler(reviewRequest(oneMebibyte), context);
    },
    options,
  );
  bench(
    'kubectl scale to 1 (denied)',
    async () => {
      await handler(reviewRequest(scale), context);
    },
    options,
  );
});

const { policy: fullPolicy } = await readPolicyFile(
  fileURLToPath(new URL('../fixtures/policy-bench.yaml', import.meta.url)),
);

describe('decision core alone (JSON.parse + zod + decide)', () => {
  const now = new Date();
  bench(
    'Deployment UPDATE with an image change',
    () => {
      const { request } = admissionReviewSchema.parse(JSON.parse(update));
      const target = readTarget(request);
      if ('error' in target) throw new Error(target.error);
      decide(request, target.value, defaultPolicy(3), { cluster: 'bench', now });
    },
    options,
  );
  bench(
    'Deployment UPDATE, policy with 10 built-in and 3 CEL rules',
    () => {
      const { request } = admissionReviewSchema.parse(JSON.parse(update));
      const target = readTarget(request);
      if ('error' in target) throw new Error(target.error);
      decide(request, target.value, fullPolicy, { cluster: 'bench', now });
    },
    options,
  );
});
