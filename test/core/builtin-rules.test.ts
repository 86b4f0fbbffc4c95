import { describe, expect, it } from 'vitest';
import * as rules from '../../functions/core/rules/builtin-rules.js';
import { normalizeImage, tagOf } from '../../functions/core/rules/image-reference.js';
import type { RuleInput } from '../../functions/core/rules/rule.js';
import type { WorkloadKind } from '../../functions/core/workload-kinds.js';
import { readWorkload } from './read-workload.js';

const compliant = {
  securityContext: { runAsNonRoot: true },
  volumes: [{ name: 'cache', emptyDir: {} }],
  containers: [
    {
      name: 'web',
      image: 'myregistry.azurecr.io/shop/web:1.4.2',
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '128Mi' } },
    },
  ],
};

interface Workload {
  readonly labels?: Record<string, string>;
  readonly replicas?: number;
  readonly kind?: WorkloadKind;
}

/** What a rule sees for a Deployment shop/web (or another kind) with this pod spec. */
function input(podSpec: Record<string, unknown>, workload: Workload = {}): RuleInput {
  const { labels = { 'app.kubernetes.io/name': 'web', owner: 'shop' }, replicas, kind = 'Deployment' } = workload;
  const object = { metadata: { name: 'web', labels }, spec: { replicas, template: { spec: podSpec } } };
  const { request, target } = readWorkload(kind, object);
  return { workload: target.workload, request, object: target.object, oldObject: target.oldObject };
}

function withContainer(change: Record<string, unknown>) {
  return { ...compliant, containers: [{ ...compliant.containers[0], ...change }] };
}

describe('built-in rules', () => {
  it.each<[string, rules.Check, Record<string, unknown>, string | undefined]>([
    ['image-tag passes a version tag', rules.imageTag(), compliant, undefined],
    [
      'image-tag passes a digest without a tag',
      rules.imageTag(),
      withContainer({ image: 'myregistry.azurecr.io/web@sha256:0123abcd' }),
      undefined,
    ],
    [
      'image-tag refuses latest',
      rules.imageTag(),
      withContainer({ image: 'nginx:latest' }),
      'deployment shop/web: container web uses the tag latest (nginx:latest). Pin a version tag or a digest.',
    ],
    [
      'image-tag refuses no tag, even with a registry port',
      rules.imageTag(),
      withContainer({ image: 'localhost:5000/web' }),
      'deployment shop/web: container web uses localhost:5000/web without a tag. Pin a version tag or a digest.',
    ],
    [
      'allowed-registries passes a listed registry',
      rules.allowedRegistries(['myregistry.azurecr.io/']),
      compliant,
      undefined,
    ],
    [
      'allowed-registries sees Docker Hub in a short name',
      rules.allowedRegistries(['myregistry.azurecr.io/']),
      withContainer({ image: 'nginx:1.27' }),
      'deployment shop/web: container web pulls nginx:1.27, which is not from an allowed registry (myregistry.azurecr.io/).',
    ],
    [
      'allowed-registries can allow Docker Hub library images',
      rules.allowedRegistries(['docker.io/library/']),
      withContainer({ image: 'nginx:1.27' }),
      undefined,
    ],
    ['resources passes requests and limits', rules.resources(['cpu', 'memory'], ['memory']), compliant, undefined],
    [
      'resources names what is missing',
      rules.resources(['cpu', 'memory'], ['memory']),
      withContainer({ resources: { requests: { cpu: '1' } } }),
      'deployment shop/web: container web sets no resources requests.memory, limits.memory. Set them under resources.',
    ],
    [
      'no-privileged refuses privileged',
      rules.noPrivileged(),
      withContainer({ securityContext: { privileged: true } }),
      'deployment shop/web: container web is privileged. Remove securityContext.privileged.',
    ],
    [
      'no-privileged passes privileged: false',
      rules.noPrivileged(),
      withContainer({ securityContext: { privileged: false } }),
      undefined,
    ],
    [
      'no-host-namespaces names each one',
      rules.noHostNamespaces(),
      { ...compliant, hostPID: true, hostNetwork: true },
      "deployment shop/web shares the host's namespaces (hostPID, hostNetwork). Remove them from the pod spec.",
    ],
    [
      'no-host-path refuses hostPath volumes',
      rules.noHostPath(),
      { ...compliant, volumes: [{ name: 'docker', hostPath: { path: '/var/run/docker.sock' } }] },
      'deployment shop/web mounts hostPath volumes (docker). Use a PersistentVolumeClaim, emptyDir or ConfigMap instead.',
    ],
    ['run-as-non-root passes a pod-level setting', rules.runAsNonRoot(), compliant, undefined],
    [
      'run-as-non-root passes container-level settings',
      rules.runAsNonRoot(),
      { containers: [{ name: 'a', securityContext: { runAsNonRoot: true } }] },
      undefined,
    ],
    [
      'run-as-non-root refuses a container that overrides the pod',
      rules.runAsNonRoot(),
      withContainer({ securityContext: { runAsNonRoot: false } }),
      'deployment shop/web: containers web may run as root. Set securityContext.runAsNonRoot: true on the pod or on each container.',
    ],
    [
      'run-as-non-root refuses when nothing is said',
      rules.runAsNonRoot(),
      { containers: [{ name: 'a' }] },
      'deployment shop/web: containers a may run as root. Set securityContext.runAsNonRoot: true on the pod or on each container.',
    ],
    [
      'checks init containers too',
      rules.noPrivileged(),
      { ...compliant, initContainers: [{ name: 'setup', securityContext: { privileged: true } }] },
      'deployment shop/web: container setup is privileged. Remove securityContext.privileged.',
    ],
  ])('%s', (_sentence, check, podSpec, expected) => {
    const messages = check(input(podSpec)).map((violation) => violation.message);
    expect(messages).toEqual(expected ? [expected] : []);
  });

  it('required-labels names the missing labels, and counts an empty value as missing', () => {
    const check = rules.requiredLabels(['app.kubernetes.io/name', 'owner']);
    expect(check(input(compliant))).toEqual([]);
    expect(
      check(input(compliant, { labels: { 'app.kubernetes.io/name': 'web', owner: '' } })).map((v) => v.message),
    ).toEqual(['deployment shop/web is missing the labels owner. Add them under metadata.labels.']);
  });

  it('minimum-replicas says the count and the minimum, and how the object stands for a later warning', () => {
    const [violation] = rules.minimumReplicas(4)(input(compliant, { replicas: 2 }));
    expect(violation).toMatchObject({
      message: 'deployment shop/web has 2 replicas; the minimum is 4. Set spec.replicas to 4 or more and re-apply.',
      standing: 'deployment shop/web has 2 replicas, below the minimum of 4; spec changes will be denied',
    });
    expect(rules.minimumReplicas(4)(input(compliant, { kind: 'DaemonSet' }))).toEqual([]);
  });

  it.each([
    ['nginx', 'docker.io/library/nginx', undefined],
    ['bitnami/redis:7', 'docker.io/bitnami/redis:7', '7'],
    ['myregistry.azurecr.io/a/b:1.0', 'myregistry.azurecr.io/a/b:1.0', '1.0'],
    ['localhost:5000/web', 'localhost:5000/web', undefined],
    ['ghcr.io/o/i:v2@sha256:ab', 'ghcr.io/o/i:v2@sha256:ab', 'v2'],
  ])('reads the image reference %s', (image, normalized, tag) => {
    expect(normalizeImage(image)).toBe(normalized);
    expect(tagOf(image)).toBe(tag);
  });
});
