// The manifests in deploy/kubernetes: valid against the Kubernetes (and cert-manager)
// OpenAPI schemas, and safe: the webhook can never block the system namespaces or its
// own, the pieces point at each other, and the timeouts line up.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Certificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate';
import { ValidatingWebhookConfiguration } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap, Namespace, Service, ServiceAccount } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { validateAgainstSchema as validate } from '../helpers/kubernetes-schema.js';
import { type KubernetesObject, kubectlAvailable, ofKind, parseYaml, render } from '../helpers/kustomize.js';

const root = fileURLToPath(new URL('../../deploy/kubernetes/', import.meta.url));
const kustomizations = ['base', 'overlays/cert-manager', 'overlays/keyvault', 'overlays/all-workloads'];

function yamlFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return name.endsWith('.yaml') && name !== 'kustomization.yaml' ? [path] : [];
  });
}

describe('every manifest', () => {
  const files = yamlFiles(root);
  it('is found', () => expect(files.length).toBeGreaterThanOrEqual(10));

  it.each(files.map((file) => [relative(root, file), file]))('%s is valid against its schema', async (_name, file) => {
    for (const object of parseYaml(readFileSync(file, 'utf8'))) await validate(object);
  });

  it('would catch a schema violation (the check itself works)', async () => {
    const [deployment] = parseYaml(readFileSync(join(root, 'base/deployment.yaml'), 'utf8'));
    if (!Deployment.is(deployment)) throw new Error('base/deployment.yaml should hold a Deployment');
    const broken: KubernetesObject = { ...deployment, spec: { ...deployment.spec, replicas: 'two' } };
    await expect(validate(broken)).rejects.toThrow(/replicas must be integer/);
  });
});

describe.each(kustomizations)('kustomize output of %s', (kustomization) => {
  const objects = render(join(root, kustomization));
  const runnable = objects !== undefined;
  /** The object of a kind (a kubernetes-models class), narrowed to that kind's type. */
  const find = <T>(model: { kind: string; is: (value: unknown) => value is T }): T => {
    const [found] = ofKind(objects, model.is);
    if (!found) throw new Error(`no ${model.kind} in ${kustomization}`);
    return found;
  };
  const firstWebhook = () => find(ValidatingWebhookConfiguration).webhooks?.[0];
  const proxyContainer = () => find(Deployment).spec?.template.spec?.containers[0];

  it.runIf(runnable)('renders valid objects', async () => {
    for (const object of objects ?? []) await validate(object);
  });

  it.runIf(runnable)(
    'excludes the system namespaces and its own from the webhook, and honours the opt-out label',
    () => {
      const expressions = firstWebhook()?.namespaceSelector?.matchExpressions;
      const own = find(Deployment).metadata?.namespace;
      const excluded = expressions?.find((expression) => expression.key === 'kubernetes.io/metadata.name');
      expect(excluded?.operator).toBe('NotIn');
      expect(excluded?.values).toEqual(expect.arrayContaining(['kube-system', 'kube-node-lease', 'kube-public', own]));
      expect(expressions).toContainEqual({ key: 'admission.serverless.io/skip', operator: 'DoesNotExist' });
      expect(find(Namespace).metadata?.labels?.['admission.serverless.io/skip']).toBe('true');
    },
  );

  it.runIf(runnable)(
    'registers for deployments and deployments/scale, fails closed, no side effects on dry run',
    () => {
      const webhook = firstWebhook();
      expect(webhook?.rules?.[0]).toEqual(
        expect.objectContaining({
          apiGroups: ['apps'],
          operations: ['CREATE', 'UPDATE'],
          resources: ['deployments', 'deployments/scale'],
        }),
      );
      expect(webhook).toMatchObject({
        failurePolicy: 'Fail',
        sideEffects: 'NoneOnDryRun',
        admissionReviewVersions: ['v1', 'v1beta1'],
      });
    },
  );

  it.runIf(runnable)('points the webhook at the Service, the Service at the pods, and the ports line up', () => {
    const webhookService = firstWebhook()?.clientConfig.service;
    const service = find(Service);
    const deployment = find(Deployment);
    const container = proxyContainer();
    const env = Object.fromEntries(container?.env?.map((variable) => [variable.name, variable.value]) ?? []);
    expect(webhookService).toMatchObject({
      name: service.metadata?.name,
      namespace: service.metadata?.namespace,
      port: 443,
    });
    const https = service.spec?.ports?.find((port) => port.port === webhookService?.port);
    const target = container?.ports?.find((port) => port.name === https?.targetPort);
    expect(String(target?.containerPort)).toBe(env.PORT);
    const matchLabels = deployment.spec?.selector.matchLabels;
    expect(matchLabels).toBeDefined();
    expect(service.spec?.selector).toEqual(matchLabels);
    expect(deployment.spec?.template.metadata?.labels).toMatchObject(matchLabels ?? {});
    expect(find(PodDisruptionBudget).spec?.selector?.matchLabels).toEqual(matchLabels);
    expect(find(NetworkPolicy).spec?.podSelector?.matchLabels).toEqual(matchLabels);
    const ingressPorts = find(NetworkPolicy).spec?.ingress?.flatMap((rule) => rule.ports?.map((port) => port.port));
    expect(ingressPorts).toContain(target?.containerPort);
    expect(webhookService?.path).toBe('/admission'); // the proxy's WEBHOOK_PATH default
  });

  it.runIf(runnable)('gives up on the function well before the API server gives up on the webhook', () => {
    const timeoutSeconds = firstWebhook()?.timeoutSeconds;
    const upstreamTimeoutMs = Number(find(ConfigMap).data?.UPSTREAM_TIMEOUT_MS);
    expect(timeoutSeconds).toBeDefined();
    expect(upstreamTimeoutMs + 1000).toBeLessThanOrEqual((timeoutSeconds ?? 0) * 1000);
  });

  it.runIf(runnable)('runs the proxy hardened, twice, spread and drained', () => {
    const deployment = find(Deployment);
    const pod = deployment.spec?.template.spec;
    const container = proxyContainer();
    expect(deployment.spec?.replicas).toBeGreaterThanOrEqual(2);
    expect(pod?.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container?.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(pod?.automountServiceAccountToken).toBe(false);
    expect(find(ServiceAccount).automountServiceAccountToken).toBe(false);
    expect(pod?.topologySpreadConstraints?.map((c) => c.topologyKey)).toContain('kubernetes.io/hostname');
    expect(container?.resources?.requests).toBeDefined();
    expect(container?.resources?.limits?.memory).toBeDefined();
    expect(container?.readinessProbe?.httpGet?.path).toBe('/readyz');
    expect(container?.livenessProbe?.httpGet?.path).toBe('/healthz');
    expect(pod?.terminationGracePeriodSeconds).toBeGreaterThan((5000 + 20000) / 1000);
    expect(find(PodDisruptionBudget).spec?.minAvailable).toBe(1);
  });
});

describe('overlays', () => {
  it.runIf(kubectlAvailable)(
    'all-workloads registers every kind the policy engine reads, and nothing it does not',
    () => {
      const objects = render(join(root, 'overlays/all-workloads'));
      const [webhook] = ofKind(objects, ValidatingWebhookConfiguration.is);
      const rules = webhook?.webhooks?.[0]?.rules ?? [];
      const registered = rules
        .flatMap((rule) => (rule.resources ?? []).map((resource) => `${rule.apiGroups?.[0]}/${resource}`))
        .sort();
      expect(registered).toEqual([
        '/pods',
        'apps/daemonsets',
        'apps/deployments',
        'apps/deployments/scale',
        'apps/replicasets',
        'apps/replicasets/scale',
        'apps/statefulsets',
        'apps/statefulsets/scale',
        'batch/cronjobs',
        'batch/jobs',
      ]);
    },
  );

  it.runIf(kubectlAvailable)('cert-manager injects the CA of the Certificate that makes the serving Secret', () => {
    const objects = render(join(root, 'overlays/cert-manager'));
    const [webhook] = ofKind(objects, ValidatingWebhookConfiguration.is);
    const [namespace, name] = (webhook?.metadata?.annotations?.['cert-manager.io/inject-ca-from'] ?? '').split('/');
    const certificate = ofKind(objects, Certificate.is).find(
      (c) => c.metadata?.name === name && c.metadata?.namespace === namespace,
    );
    const [deployment] = ofKind(objects, Deployment.is);
    const tlsVolume = deployment?.spec?.template.spec?.volumes?.find((v) => v.name === 'tls');
    expect(tlsVolume?.secret?.secretName).toBeDefined();
    expect(certificate?.spec?.secretName).toBe(tlsVolume?.secret?.secretName);
    expect(certificate?.spec?.dnsNames).toContain('admission-proxy.admission-system.svc');
  });

  it.runIf(kubectlAvailable)('keyvault mounts the function key through the CSI driver with workload identity', () => {
    const objects = render(join(root, 'overlays/keyvault')) ?? [];
    const [deployment] = ofKind(objects, Deployment.is);
    const volume = deployment?.spec?.template.spec?.volumes?.find((v) => v.name === 'function-key');
    const providerClass = objects.find((o) => o.kind === 'SecretProviderClass');
    expect(providerClass).toBeDefined();
    expect(volume?.csi?.volumeAttributes?.secretProviderClass).toBe(providerClass?.metadata.name);
    expect(volume).toBeDefined();
    expect(volume?.secret).toBeUndefined();
    expect(deployment?.spec?.template.metadata?.labels?.['azure.workload.identity/use']).toBe('true');
    const [serviceAccount] = ofKind(objects, ServiceAccount.is);
    expect(serviceAccount?.metadata?.annotations?.['azure.workload.identity/client-id']).toBeDefined();
  });
});
