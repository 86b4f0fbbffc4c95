// The decision core under a full policy file (test/fixtures/policy-all-rules.yaml).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { admissionReviewSchema } from '../../functions/core/admission-review.js';
import { decide } from '../../functions/core/decide.js';
import type { Decision } from '../../functions/core/decision.js';
import { readTarget } from '../../functions/core/workload.js';
import { readPolicyFile } from '../../functions/shells/read-policy-file.js';
import { loadFixture } from '../helpers/fixtures.js';

const { policy } = await readPolicyFile(fileURLToPath(new URL('../fixtures/policy-all-rules.yaml', import.meta.url)));
const now = new Date('2026-11-22T10:00:00Z');

interface ContainerFixture {
  name: string;
  image: string;
  readinessProbe?: unknown;
  [field: string]: unknown;
}

/** The fields of the v1 Deployment review fixture that these tests change. */
interface DeploymentReview {
  request: {
    namespace: string;
    userInfo: { username: string };
    object: {
      metadata: { namespace: string; labels: Record<string, string>; annotations: Record<string, string> };
      spec: {
        replicas?: number;
        template: { spec: { securityContext?: unknown; containers: [ContainerFixture, ...ContainerFixture[]] } };
      };
    };
  };
}

/** The v1 CREATE fixture, made to pass every rule of the policy, in namespace prod-shop. */
function compliantReview(): DeploymentReview {
  const review: DeploymentReview = loadFixture('v1-create-deployment-3-replicas.json');
  const { request } = review;
  request.namespace = request.object.metadata.namespace = 'prod-shop';
  request.object.metadata.labels = { 'app.kubernetes.io/name': 'web', owner: 'shop' };
  const spec = request.object.spec.template.spec;
  spec.securityContext = { runAsNonRoot: true };
  Object.assign(spec.containers[0], {
    image: 'myregistry.azurecr.io/shop/web:1.4.2',
    readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '128Mi' } },
  });
  return review;
}

function run(review: unknown): Decision {
  const { request } = admissionReviewSchema.parse(review);
  const target = readTarget(request);
  if ('error' in target) throw new Error(target.error);
  return decide(request, target.value, policy, { cluster: 'prod-aks', now });
}

describe('a Deployment under the full policy', () => {
  it('allows a compliant one and announces it', () => {
    const decision = run(compliantReview());
    expect(decision).toMatchObject({ allowed: true, outcome: 'allowed', warnings: [] });
    expect(decision.notifications.map((n) => n.type)).toEqual(['created']);
  });

  it('denies with every violation named, and one BLOCKED text listing the reasons', () => {
    const review = compliantReview();
    review.request.object.spec.template.spec.containers[0].image = 'nginx:latest';
    review.request.object.spec.replicas = 1;
    const decision = run(review);
    expect(decision.violations).toEqual([
      'deployment prod-shop/web has 1 replica; the minimum is 3. Set spec.replicas to 3 or more and re-apply.',
      'deployment prod-shop/web: container web uses the tag latest (nginx:latest). Pin a version tag or a digest.',
      'deployment prod-shop/web: container web pulls nginx:latest, which is not from an allowed registry (myregistry.azurecr.io/, mcr.microsoft.com/).',
    ]);
    expect(decision.notifications).toEqual([
      expect.objectContaining({
        type: 'blocked',
        reason: '1 replica, minimum is 3; web uses :latest; web image from a registry not allowed',
      }),
    ]);
  });

  it('applies a CEL rule only where it matches: readiness probes in prod-* only', () => {
    const prod = compliantReview();
    delete prod.request.object.spec.template.spec.containers[0].readinessProbe;
    expect(run(prod).violations).toEqual([
      'deployment prod-shop/web: every container needs a readinessProbe in production',
    ]);
    const dev = compliantReview();
    dev.request.namespace = 'dev-shop';
    delete dev.request.object.spec.template.spec.containers[0].readinessProbe;
    expect(run(dev).allowed).toBe(true);
  });

  it('turns a warn rule into a kubectl warning, and texts ops when the rule notifies', () => {
    const review = compliantReview();
    review.request.object.spec.replicas = 60;
    const decision = run(review);
    expect(decision).toMatchObject({
      allowed: true,
      outcome: 'warned',
      warnings: ['deployment prod-shop/web: at most 50 replicas; ask the platform team for more'],
    });
    expect(decision.notifications.map((n) => n.type)).toEqual(['flagged', 'created']);
  });

  it('warns without texting for run-as-non-root (warn, no notify)', () => {
    const review = compliantReview();
    delete review.request.object.spec.template.spec.securityContext;
    const decision = run(review);
    expect(decision.warnings).toEqual([
      'deployment prod-shop/web: containers web may run as root. Set securityContext.runAsNonRoot: true on the pod or on each container.',
    ]);
    expect(decision.notifications.map((n) => n.type)).toEqual(['created']);
  });

  it('exempts by namespace pattern and by user, never by anything in the object', () => {
    const legacy = compliantReview();
    legacy.request.namespace = 'legacy-shop';
    legacy.request.object.spec.replicas = 1;
    expect(run(legacy)).toMatchObject({ allowed: true, outcome: 'exempt', notifications: [] });
    const breakGlass = compliantReview();
    breakGlass.request.object.spec.replicas = 1;
    breakGlass.request.userInfo.username = 'system:serviceaccount:platform:break-glass';
    expect(run(breakGlass).outcome).toBe('exempt');
    const selfExempt = compliantReview();
    selfExempt.request.object.spec.replicas = 1;
    selfExempt.request.object.metadata.annotations['admission.serverless.io/exempt'] = 'true';
    selfExempt.request.object.metadata.labels['admission.serverless.io/skip'] = 'true';
    expect(run(selfExempt).allowed).toBe(false);
  });

  it('tolerates a standing violation of any deny rule when the spec does not change', () => {
    const review = loadFixture('v1-update-deployment-labels-only.json');
    review.request.namespace = 'dev';
    const decision = run(review);
    expect(decision.allowed).toBe(true);
    expect(decision.warnings).toContain(
      'deployment dev/web breaks required-labels (missing labels owner); spec changes will be denied',
    );
  });
});

describe('other workload kinds under the full policy', () => {
  function workload(kind: string, resource: string, group: string, object: Record<string, unknown>): unknown {
    // Another kind in a Deployment's review: the object is the test's own shape.
    const review = loadFixture<{ request: Record<string, unknown> }>('v1-create-deployment-3-replicas.json');
    review.request.kind = { group, version: 'v1', kind };
    review.request.resource = { group, version: 'v1', resource };
    review.request.namespace = 'dev';
    review.request.object = {
      apiVersion: group ? `${group}/v1` : 'v1',
      kind,
      metadata: { name: 'x', namespace: 'dev', labels: { 'app.kubernetes.io/name': 'x', owner: 'o' } },
      ...object,
    };
    return review;
  }
  const badPod = {
    securityContext: { runAsNonRoot: true },
    hostPID: true,
    containers: [
      {
        name: 'c',
        image: 'mcr.microsoft.com/x:1',
        securityContext: { privileged: true },
        resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { memory: '1Gi' } },
      },
    ],
  };

  it.each<[string, unknown]>([
    ['a Pod', workload('Pod', 'pods', '', { spec: badPod })],
    ['a DaemonSet', workload('DaemonSet', 'daemonsets', 'apps', { spec: { template: { spec: badPod } } })],
    ['a Job', workload('Job', 'jobs', 'batch', { spec: { template: { spec: badPod } } })],
    [
      'a CronJob (through its job template)',
      workload('CronJob', 'cronjobs', 'batch', { spec: { jobTemplate: { spec: { template: { spec: badPod } } } } }),
    ],
  ])('finds the pod spec of %s', (_what, review) => {
    const decision = run(review);
    expect(decision.allowed).toBe(false);
    expect(decision.violations).toEqual([
      expect.stringContaining('container c is privileged'),
      expect.stringContaining("shares the host's namespaces (hostPID)"),
    ]);
  });

  it('checks a StatefulSet scale request against minimum-replicas', () => {
    const review = loadFixture('v1-update-scale-to-1.json');
    review.request.resource.resource = 'statefulsets';
    review.request.namespace = 'dev';
    expect(run(review).violations).toEqual([
      expect.stringContaining('statefulset dev/web cannot be scaled to 1 replica'),
    ]);
  });

  it('does not announce Pods, which come and go with every rollout', () => {
    const review = workload('Pod', 'pods', '', {
      spec: {
        securityContext: { runAsNonRoot: true },
        containers: [
          {
            name: 'c',
            image: 'mcr.microsoft.com/x:1',
            resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { memory: '1Gi' } },
          },
        ],
      },
    });
    expect(run(review)).toMatchObject({ allowed: true, notifications: [] });
  });
});
