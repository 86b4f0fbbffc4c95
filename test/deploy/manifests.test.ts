// The manifests in deploy/kubernetes, as `kubectl kustomize` renders each way of
// installing them: valid against the Kubernetes (and cert-manager) OpenAPI schemas,
// and safe. The base registers no webhook; no webhook is registered without the CA of
// its proxy; the webhook never reaches the system namespaces or its own; only the API
// server's path reaches the webhook port; the pieces point at each other; the
// timeouts line up. Overlays that read git-ignored files are rendered from a staged
// copy with files made here.
import { cpSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Certificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate';
import { ValidatingWebhookConfiguration } from 'kubernetes-models/admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { ConfigMap, Namespace, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createCertificateAuthority, issueServingCertificate } from '../../certs/issue-certificates.js';
import { allWorkloadsScope, webhookScope } from '../../functions/core/index.js';
import { validateAgainstSchema as validate } from '../helpers/kubernetes-schema.js';
import {
  type KubernetesObject,
  kubectlAvailable,
  ofKind,
  parseDocuments,
  parseYaml,
  type Rendering,
  render,
  stageManifests,
  tryRender,
  writeInputFiles,
  writeKustomization,
} from '../helpers/kustomize.js';

const root = fileURLToPath(new URL('../../deploy/kubernetes/', import.meta.url));
const injectCaFrom = 'cert-manager.io/inject-ca-from';

// What the overlays read from git-ignored files, made here: a CA, a serving pair under
// it, and a function key.
const ca = await createCertificateAuthority('manifests test CA', 1);
const serving = await issueServingCertificate(ca, {
  commonName: 'admission-proxy.admission-system.svc',
  names: ['admission-proxy.admission-system.svc'],
  validDays: 1,
});
const tlsFiles = { 'ca.crt': ca.cert, 'tls.crt': serving.cert, 'tls.key': serving.key };
const functionKey = 'function-key-made-by-the-test';

const staged = stageManifests(root);
afterAll(() => rmSync(staged, { recursive: true, force: true }));
writeInputFiles(join(staged, 'overlays/files'), { ...tlsFiles, 'function-key': functionKey });
writeInputFiles(join(staged, 'overlays/keyvault'), tlsFiles);
writeInputFiles(join(staged, 'overlays/cert-manager'), { 'function-key': functionKey });
const vnetPatch = {
  target: { kind: 'NetworkPolicy', name: 'admission-proxy' },
  patch: '- { op: replace, path: /spec/ingress/0/from/0/ipBlock/cidr, value: 10.225.0.0/28 }',
};
const withComponent = (overlay: string, component: string, patches: object[] = []) =>
  writeKustomization(join(staged, 'combinations', `${overlay.replaceAll('/', '-')}+${component}`), {
    resources: [`../../overlays/${overlay}`],
    components: [`../../components/${component}`],
    ...(patches.length > 0 ? { patches } : {}),
  });
const combinations = {
  filesAllWorkloads: withComponent('files', 'all-workloads'),
  filesVnet: withComponent('files', 'apiserver-vnet-integration', [vnetPatch]),
  certManagerWebhookAllWorkloads: withComponent('cert-manager/webhook', 'all-workloads'),
  keyvaultVnet: withComponent('keyvault', 'apiserver-vnet-integration', [vnetPatch]),
};

/** Every kubectl kustomize the tests look at, by a name relative to the tree. */
const renderings = new Map<string, Rendering>(
  kubectlAvailable
    ? [
        'base',
        'overlays/files',
        'overlays/keyvault',
        'overlays/cert-manager',
        'overlays/cert-manager/webhook',
        ...Object.values(combinations).map((directory) => relative(staged, directory)),
      ].map((name) => [name, tryRender(join(staged, name))])
    : [],
);
const objectsOf = (...names: string[]): KubernetesObject[] =>
  names.flatMap((name) => {
    const rendering = renderings.get(name);
    if (!rendering) throw new Error(`${name} was not rendered`);
    if ('error' in rendering) throw new Error(`kubectl kustomize ${name} failed: ${rendering.error}`);
    return rendering.objects;
  });

/** The ways to install, each as the kustomizations applied one after the other. */
const installations: [string, string[]][] = [
  ['overlays/files', ['overlays/files']],
  ['overlays/files + components/all-workloads', [relative(staged, combinations.filesAllWorkloads)]],
  ['overlays/files + components/apiserver-vnet-integration', [relative(staged, combinations.filesVnet)]],
  [
    'overlays/cert-manager, then overlays/cert-manager/webhook',
    ['overlays/cert-manager', 'overlays/cert-manager/webhook'],
  ],
  [
    'overlays/cert-manager, then its webhook + components/all-workloads',
    ['overlays/cert-manager', relative(staged, combinations.certManagerWebhookAllWorkloads)],
  ],
  ['overlays/keyvault', ['overlays/keyvault']],
  ['overlays/keyvault + components/apiserver-vnet-integration', [relative(staged, combinations.keyvaultVnet)]],
];

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** Whether a label selector selects an object with these labels; an absent selector selects nothing. */
function selects(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  return (
    byLabel &&
    (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
      if (operator === 'In') return values.includes(labels[key] ?? '');
      if (operator === 'NotIn') return !values.includes(labels[key] ?? '');
      if (operator === 'Exists') return key in labels;
      return !(key in labels);
    })
  );
}

interface NetworkPolicyPeer {
  ipBlock?: unknown;
  namespaceSelector?: LabelSelector;
  podSelector?: LabelSelector;
}

/**
 * Whether NetworkPolicy peers admit a pod, read as Kubernetes reads them: without a
 * namespaceSelector a peer means the policy's own namespace; without a podSelector,
 * every pod of the selected namespaces. An ipBlock names addresses, not pods.
 */
function admitsPod(
  peers: readonly NetworkPolicyPeer[],
  policyNamespace: string,
  pod: { namespace: string; labels: Record<string, string> },
): boolean {
  return peers.some((peer) => {
    if (peer.ipBlock) return false;
    const namespaceLabels = { 'kubernetes.io/metadata.name': pod.namespace };
    const inNamespace = peer.namespaceSelector
      ? selects(peer.namespaceSelector, namespaceLabels)
      : pod.namespace === policyNamespace;
    return inNamespace && (peer.podSelector ? selects(peer.podSelector, pod.labels) : true);
  });
}

/** The text of a base64 field (a caBundle, Secret data), which kustomize may fold over lines. */
const decodeBase64 = (value: string | undefined) => Buffer.from(value ?? '', 'base64').toString('utf8');

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

describe.runIf(kubectlAvailable).each([...renderings.keys()])('kubectl kustomize %s', (name) => {
  const objects = () => objectsOf(name);

  it('renders objects valid against their schemas', async () => {
    expect(objects().length).toBeGreaterThan(0);
    for (const object of objects()) await validate(object);
  });

  it('gives every NetworkPolicy ingress rule its sources', () => {
    for (const policy of ofKind(objects(), NetworkPolicy.is)) {
      for (const rule of policy.spec?.ingress ?? []) expect(rule.from?.length ?? 0).toBeGreaterThan(0);
    }
  });

  it('tells the AKS Admissions Enforcer to leave every webhook configuration alone', () => {
    for (const configuration of ofKind(objects(), ValidatingWebhookConfiguration.is)) {
      expect(configuration.metadata?.annotations?.['admissions.enforcer/disabled']).toBe('true');
    }
  });

  it('registers no webhook without a CA: a caBundle holding a certificate, or cert-manager injecting one', () => {
    for (const configuration of ofKind(objects(), ValidatingWebhookConfiguration.is)) {
      const injected = configuration.metadata?.annotations?.[injectCaFrom];
      for (const webhook of configuration.webhooks ?? []) {
        if (injected) expect(webhook.clientConfig).not.toHaveProperty('caBundle');
        else expect(decodeBase64(webhook.clientConfig.caBundle)).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
      }
    }
  });
});

describe('the base', () => {
  const objects = render(join(root, 'base'));
  const runnable = objects !== undefined;
  const find = <T>(model: { kind: string; is: (value: unknown) => value is T }): T => {
    const [found] = ofKind(objects, model.is);
    if (!found) throw new Error(`no ${model.kind} in the base`);
    return found;
  };

  it.runIf(runnable)('holds the workload and no webhook configuration, so applying it alone blocks nothing', () => {
    expect(objects?.map((object) => object.kind).sort()).toEqual(
      [
        'ClusterRole',
        'ClusterRoleBinding',
        'ConfigMap',
        'Deployment',
        'Namespace',
        'NetworkPolicy',
        'PodDisruptionBudget',
        'Service',
        'ServiceAccount',
      ].sort(),
    );
  });

  it.runIf(runnable)('lets only the konnectivity agents in kube-system reach the webhook port', () => {
    const policy = find(NetworkPolicy);
    const rules = policy.spec?.ingress ?? [];
    const webhookRules = rules.filter((rule) => rule.ports?.some((port) => port.port === 8443));
    expect(webhookRules).toHaveLength(1);
    const peers = webhookRules[0]?.from ?? [];
    const admits = (namespace: string, labels: Record<string, string>) =>
      admitsPod(peers, policy.metadata?.namespace ?? '', { namespace, labels });
    expect(admits('kube-system', { app: 'konnectivity-agent' })).toBe(true);
    expect(admits('kube-system', { app: 'tunnelfront' })).toBe(true);
    expect(admits('kube-system', { 'k8s-app': 'kube-dns' })).toBe(false);
    expect(admits('default', { app: 'konnectivity-agent' })).toBe(false);
    expect(admits('admission-system', {})).toBe(false);
    expect(peers.some((peer) => peer.ipBlock)).toBe(false);
  });

  it.runIf(runnable)('lets only the monitoring namespace reach the health and metrics port', () => {
    const policy = find(NetworkPolicy);
    const rules = policy.spec?.ingress ?? [];
    const healthRules = rules.filter((rule) => rule.ports?.some((port) => port.port === 9090));
    expect(healthRules).toHaveLength(1);
    expect(healthRules[0]?.ports?.map((port) => port.port)).toEqual([9090]);
    const admits = (namespace: string) =>
      admitsPod(healthRules[0]?.from ?? [], policy.metadata?.namespace ?? '', { namespace, labels: {} });
    expect(admits('monitoring')).toBe(true);
    expect(admits('default')).toBe(false);
    expect(admits('admission-system')).toBe(false);
  });

  it.runIf(runnable)('runs three proxies spread over zones and nodes, drained one at a time', () => {
    const deployment = find(Deployment);
    const pod = deployment.spec?.template;
    const replicas = deployment.spec?.replicas ?? 0;
    expect(replicas).toBe(3);
    const spread = pod?.spec?.topologySpreadConstraints ?? [];
    expect(spread.map((constraint) => constraint.topologyKey).sort()).toEqual([
      'kubernetes.io/hostname',
      'topology.kubernetes.io/zone',
    ]);
    for (const constraint of spread) expect(selects(constraint.labelSelector, pod?.metadata?.labels ?? {})).toBe(true);
    const minAvailable = Number(find(PodDisruptionBudget).spec?.minAvailable);
    expect(minAvailable).toBeGreaterThanOrEqual(2);
    expect(minAvailable).toBeLessThan(replicas);
  });
});

describe.runIf(kubectlAvailable).each(installations)('installing with %s', (_name, steps) => {
  const objects = () => objectsOf(...steps);
  /** The object of a kind (a kubernetes-models class), narrowed to that kind's type. */
  const find = <T>(model: { kind: string; is: (value: unknown) => value is T }): T => {
    const [found] = ofKind(objects(), model.is);
    if (!found) throw new Error(`no ${model.kind} in ${steps.join(' + ')}`);
    return found;
  };
  const firstWebhook = () => find(ValidatingWebhookConfiguration).webhooks?.[0];
  const proxyContainer = () => find(Deployment).spec?.template.spec?.containers[0];

  it('registers the webhook with the CA that signed the proxy certificate', () => {
    const configuration = find(ValidatingWebhookConfiguration);
    const injected = configuration.metadata?.annotations?.[injectCaFrom];
    if (injected) {
      const [namespace, name] = injected.split('/');
      const certificate = ofKind(objects(), Certificate.is).find(
        (c) => c.metadata?.name === name && c.metadata?.namespace === namespace,
      );
      const tlsVolume = find(Deployment).spec?.template.spec?.volumes?.find((v) => v.name === 'tls');
      expect(certificate?.spec?.secretName).toBeDefined();
      expect(certificate?.spec?.secretName).toBe(tlsVolume?.secret?.secretName);
      expect(certificate?.spec?.dnsNames).toContain('admission-proxy.admission-system.svc');
    } else {
      for (const webhook of configuration.webhooks ?? [])
        expect(decodeBase64(webhook.clientConfig.caBundle)).toBe(ca.cert);
    }
  });

  it('provides every Secret the proxy mounts', () => {
    const namespace = find(Deployment).metadata?.namespace;
    const made = [
      ...ofKind(objects(), Secret.is)
        .filter((secret) => secret.metadata?.namespace === namespace)
        .map((secret) => secret.metadata?.name),
      ...ofKind(objects(), Certificate.is)
        .filter((certificate) => certificate.metadata?.namespace === namespace)
        .map((certificate) => certificate.spec?.secretName),
    ];
    const mounted = (find(Deployment).spec?.template.spec?.volumes ?? []).flatMap((volume) =>
      volume.secret?.secretName ? [volume.secret.secretName] : [],
    );
    expect(mounted.length).toBeGreaterThan(0);
    for (const secretName of mounted) expect(made).toContain(secretName);
  });

  it('excludes the system namespaces and its own from the webhook, and honours the opt-out label', () => {
    const expressions = firstWebhook()?.namespaceSelector?.matchExpressions;
    const own = find(Deployment).metadata?.namespace;
    const excluded = expressions?.find((expression) => expression.key === 'kubernetes.io/metadata.name');
    expect(excluded?.operator).toBe('NotIn');
    expect(excluded?.values).toEqual(expect.arrayContaining(['kube-system', 'kube-node-lease', 'kube-public', own]));
    expect(expressions).toContainEqual({ key: 'admission.serverless.io/skip', operator: 'DoesNotExist' });
    expect(find(Namespace).metadata?.labels?.['admission.serverless.io/skip']).toBe('true');
  });

  it('registers what webhookScope says (deployments, their scale, ephemeral containers), fails closed, no side effects on dry run', () => {
    const webhook = firstWebhook();
    // all-workloads appends its rules after these; its own test checks the whole list.
    const first = webhook?.rules?.slice(0, webhookScope.length);
    expect(first).toEqual(webhookScope.map((rule) => ({ ...rule, scope: 'Namespaced' })));
    expect(webhook).toMatchObject({
      failurePolicy: 'Fail',
      matchPolicy: 'Equivalent',
      sideEffects: 'NoneOnDryRun',
      admissionReviewVersions: ['v1', 'v1beta1'],
    });
  });

  it('points the webhook at the Service, the Service at the pods, and the ports line up', () => {
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

  it('gives up on the function well before the API server gives up on the webhook', () => {
    const timeoutSeconds = firstWebhook()?.timeoutSeconds;
    const upstreamTimeoutMs = Number(find(ConfigMap).data?.UPSTREAM_TIMEOUT_MS);
    expect(timeoutSeconds).toBeDefined();
    expect(upstreamTimeoutMs + 1000).toBeLessThanOrEqual((timeoutSeconds ?? 0) * 1000);
  });

  it('runs the proxy restricted, with resources and probes', () => {
    const deployment = find(Deployment);
    const pod = deployment.spec?.template.spec;
    const container = proxyContainer();
    expect(deployment.spec?.replicas).toBe(3);
    const effective = { ...pod?.securityContext, ...container?.securityContext };
    expect(effective).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(effective).not.toHaveProperty('privileged', true);
    expect(pod?.automountServiceAccountToken).toBe(false);
    expect(find(ServiceAccount).automountServiceAccountToken).toBe(false);
    expect(container?.resources?.requests).toMatchObject({ cpu: expect.anything(), memory: expect.anything() });
    expect(container?.resources?.limits).toMatchObject({ cpu: expect.anything(), memory: expect.anything() });
    expect(container?.readinessProbe?.httpGet?.path).toBe('/readyz');
    expect(container?.livenessProbe?.httpGet?.path).toBe('/healthz');
    expect(pod?.terminationGracePeriodSeconds).toBeGreaterThan((5000 + 20000) / 1000);
  });

  it('lets the proxy read Namespaces and nothing else, through a token mounted where it looks', () => {
    const role = find(ClusterRole);
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch'] }]);
    const binding = find(ClusterRoleBinding);
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: role.metadata?.name,
    });
    const account = find(ServiceAccount);
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: account.metadata?.name, namespace: account.metadata?.namespace },
    ]);
    // The token (bound, an hour) and the CA at the default KUBERNETES_TOKEN_FILE and KUBERNETES_CA_FILE.
    const pod = find(Deployment).spec?.template.spec;
    const mount = proxyContainer()?.volumeMounts?.find(
      (m) => m.mountPath === '/var/run/secrets/kubernetes.io/serviceaccount',
    );
    const sources = pod?.volumes?.find((volume) => volume.name === mount?.name)?.projected?.sources ?? [];
    expect(mount?.readOnly).toBe(true);
    expect(sources.map((source) => source.serviceAccountToken?.path ?? source.configMap?.items?.[0]?.path)).toEqual([
      'token',
      'ca.crt',
    ]);
    expect(sources[0]?.serviceAccountToken?.expirationSeconds).toBeLessThanOrEqual(3600);
  });
});

describe.runIf(kubectlAvailable)('the overlays', () => {
  /** A copy of an overlay in the staged tree, beside the original, without one of its input files. */
  const renderWithout = (overlay: string, file: string) => {
    const copy = join(staged, 'overlays', `${overlay}-without-${file}`);
    cpSync(join(staged, 'overlays', overlay), copy, { recursive: true });
    rmSync(join(copy, file));
    return tryRender(copy);
  };

  it.each([
    ['files', 'ca.crt'],
    ['files', 'tls.crt'],
    ['files', 'tls.key'],
    ['files', 'function-key'],
    ['keyvault', 'ca.crt'],
    ['keyvault', 'tls.key'],
    ['cert-manager', 'function-key'],
  ])('%s refuses to render without its file %s', (overlay, file) => {
    const rendering = renderWithout(overlay, file);
    expect(rendering).toHaveProperty('error');
    expect('error' in rendering && rendering.error).toContain(file);
  });

  it('files makes the two Secrets from its files, under the names the Deployment mounts', () => {
    const secrets = ofKind(objectsOf('overlays/files'), Secret.is);
    const tls = secrets.find((secret) => secret.metadata?.name === 'admission-proxy-tls');
    const key = secrets.find((secret) => secret.metadata?.name === 'admission-proxy-function-key');
    const decoded = (data: Record<string, string> | undefined) =>
      Object.fromEntries(Object.entries(data ?? {}).map(([name, value]) => [name, decodeBase64(value)]));
    expect(tls?.type).toBe('kubernetes.io/tls');
    expect(decoded(tls?.data)).toEqual(tlsFiles);
    expect(decoded(key?.data)).toEqual({ key: functionKey });
    for (const secret of [tls, key]) expect(secret?.metadata?.namespace).toBe('admission-system');
  });

  it('cert-manager registers no webhook in its first step, and only the webhook in its second', () => {
    expect(ofKind(objectsOf('overlays/cert-manager'), ValidatingWebhookConfiguration.is)).toEqual([]);
    expect(objectsOf('overlays/cert-manager/webhook').map((object) => object.kind)).toEqual([
      'ValidatingWebhookConfiguration',
    ]);
  });

  it('keyvault mounts the function key through the CSI driver with workload identity, and holds no key Secret', () => {
    const objects = objectsOf('overlays/keyvault');
    const [deployment] = ofKind(objects, Deployment.is);
    const volume = deployment?.spec?.template.spec?.volumes?.find((v) => v.name === 'function-key');
    const providerClass = objects.find((o) => o.kind === 'SecretProviderClass');
    expect(providerClass).toBeDefined();
    expect(volume?.csi?.volumeAttributes?.secretProviderClass).toBe(providerClass?.metadata.name);
    expect(volume?.secret).toBeUndefined();
    expect(deployment?.spec?.template.metadata?.labels?.['azure.workload.identity/use']).toBe('true');
    const [serviceAccount] = ofKind(objects, ServiceAccount.is);
    expect(serviceAccount?.metadata?.annotations?.['azure.workload.identity/client-id']).toBeDefined();
    const secrets = ofKind(objects, Secret.is).map((secret) => secret.metadata?.name);
    expect(secrets).toEqual(['admission-proxy-tls']);
  });

  it.each([
    ['overlays/files', combinations.filesAllWorkloads],
    ['overlays/cert-manager/webhook', combinations.certManagerWebhookAllWorkloads],
  ])('all-workloads on %s registers webhookScope and allWorkloadsScope: every kind the engine reads', (_name, dir) => {
    const [webhook] = ofKind(objectsOf(relative(staged, dir)), ValidatingWebhookConfiguration.is);
    const expected = [...webhookScope, ...allWorkloadsScope].map((rule) => ({ ...rule, scope: 'Namespaced' }));
    expect(webhook?.webhooks?.[0]?.rules).toEqual(expected);
  });

  it('apiserver-vnet-integration opens the webhook port to the API server subnet only, and leaves 9090 alone', () => {
    const [policy] = ofKind(objectsOf(relative(staged, combinations.filesVnet)), NetworkPolicy.is);
    const [webhookRule, healthRule] = policy?.spec?.ingress ?? [];
    expect(webhookRule?.ports?.map((port) => port.port)).toEqual([8443]);
    expect(webhookRule?.from).toEqual([{ ipBlock: { cidr: '10.225.0.0/28' } }]);
    expect(healthRule?.ports?.map((port) => port.port)).toEqual([9090]);
    expect(healthRule?.from?.[0]?.namespaceSelector).toBeDefined();
  });

  it('apiserver-vnet-integration, its subnet not set, leaves a range the API server refuses (not one that shuts the webhook out)', () => {
    const directory = writeKustomization(join(staged, 'combinations', 'vnet-unset'), {
      resources: ['../../base'],
      components: ['../../components/apiserver-vnet-integration'],
    });
    const [policy] = ofKind(render(directory), NetworkPolicy.is);
    const cidr = policy?.spec?.ingress?.[0]?.from?.[0]?.ipBlock?.cidr ?? '';
    expect(cidr).not.toMatch(/^[0-9a-f.:]+\/\d+$/i);
  });
});

describe('the overlays’ .gitignore files', () => {
  const generatorSchema = z.object({
    secretGenerator: z.array(z.object({ files: z.array(z.string()) })).default([]),
  });
  /** The files an overlay's secretGenerators read (`key=file` or `file`). */
  const inputFiles = (overlay: string) => {
    const [kustomization] = parseDocuments(readFileSync(join(root, overlay, 'kustomization.yaml'), 'utf8'));
    return generatorSchema
      .parse(kustomization)
      .secretGenerator.flatMap((generator) => generator.files.map((file) => file.split('=').at(-1) ?? file));
  };
  const ignored = (overlay: string) =>
    readFileSync(join(root, overlay, '.gitignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));

  it.each(['overlays/files', 'overlays/keyvault', 'overlays/cert-manager'])(
    '%s ignores every file its Secrets are made from',
    (overlay) => {
      expect(inputFiles(overlay).length).toBeGreaterThan(0);
      expect(ignored(overlay)).toEqual(expect.arrayContaining(inputFiles(overlay)));
    },
  );

  it.each(['overlays/files', 'overlays/keyvault'])(
    '%s also ignores ca.key, which npm run certs writes beside the certificates',
    (overlay) => expect(ignored(overlay)).toContain('ca.key'),
  );
});
