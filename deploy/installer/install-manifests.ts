// The objects the installer applies: the kustomize base (deploy/kubernetes/base) and
// the webhook registration (deploy/kubernetes/components/webhook), adjusted to the
// flags (namespace, function URL, cluster name, image, failure mode, webhook URL),
// plus the two Secrets and the webhook's caBundle. Pure: manifests in, objects out.
import type { z } from 'zod';
import type { InstallOptions } from './installer-flags.js';
import {
  conforms,
  dataObjectSchema,
  deploymentSchema,
  type KubernetesObject,
  kubernetesObjectSchema,
  type WebhookConfiguration,
  webhookConfigurationSchema,
} from './kubernetes-shapes.js';
import type { Manifests } from './read-manifests.js';

export type { KubernetesObject } from './kubernetes-shapes.js';

export const defaultNamespace = 'admission-system';
export const fieldManager = 'serverless-admission';
export const tlsSecretName = 'admission-proxy-tls';
export const functionKeySecretName = 'admission-proxy-function-key';
export const webhookConfigurationName = 'serverless-admission';
export const proxyName = 'admission-proxy';
export const installerLabels: Readonly<Record<string, string>> = {
  'app.kubernetes.io/part-of': 'serverless-admission',
  'app.kubernetes.io/managed-by': fieldManager,
};

/** The order of the workload's objects; the webhook configuration comes last, on its own. */
const workloadOrder = [
  'ServiceAccount',
  'ClusterRole',
  'ClusterRoleBinding',
  'ConfigMap',
  'Deployment',
  'PodDisruptionBudget',
  'Service',
  'NetworkPolicy',
];

/** The proxy's read-only access to Namespaces (deploy/kubernetes/base/rbac.yaml): cluster-wide, so uninstall removes it. */
export const namespaceReaderName = 'serverless-admission-namespace-reader';

export interface TlsMaterial {
  readonly caCert: string;
  readonly tlsCert: string;
  readonly tlsKey: string;
}

export interface InstallMaterial extends TlsMaterial {
  /** Absent: keep the key Secret already in the cluster. */
  readonly functionKey: string | undefined;
}

export interface InstallPlan {
  /** Applied first, in this order; the webhook configuration only once the proxy is ready. */
  readonly workload: readonly KubernetesObject[];
  readonly webhook: KubernetesObject;
}

type PlanOptions = Pick<
  InstallOptions,
  'namespace' | 'functionUrl' | 'failureMode' | 'clusterName' | 'image' | 'webhookUrl'
>;

export function planInstall(manifests: Manifests, options: PlanOptions, material: InstallMaterial): InstallPlan {
  const { namespace } = options;
  const [webhookSource, ...objects] = [manifests.webhook, ...manifests.base].map((object) => {
    const copy = moveToNamespace(structuredClone(object), namespace);
    copy.metadata.labels = { ...copy.metadata.labels, ...installerLabels };
    return copy;
  });

  const configMap = only(objects, 'ConfigMap', dataObjectSchema);
  const data: Record<string, string> = {
    ...configMap.data,
    FUNCTION_URL: options.functionUrl,
    FAILURE_MODE: options.failureMode,
  };
  if (options.clusterName) data.CLUSTER_NAME = options.clusterName;
  else delete data.CLUSTER_NAME;
  configMap.data = data;
  const [container] = only(objects, 'Deployment', deploymentSchema).spec.template.spec.containers;
  if (container) container.image = options.image;

  if (!conforms(webhookConfigurationSchema, webhookSource))
    throw new Error('deploy/kubernetes/components/webhook holds no webhook the installer can set');
  const webhook = retargetWebhook(webhookSource, namespace, options.webhookUrl);
  for (const entry of webhook.webhooks) entry.clientConfig.caBundle = base64(material.caCert);
  const workload = workloadOrder.map((kind) => only(objects, kind, kubernetesObjectSchema));
  const namespaceObject = only(objects, 'Namespace', kubernetesObjectSchema);
  const tls = tlsSecret(namespace, material);
  const key = material.functionKey === undefined ? [] : [functionKeySecret(namespace, material.functionKey)];
  return { workload: [namespaceObject, tls, ...key, ...workload], webhook };
}

/** The proxy's serving pair, with the CA that signed it. */
export function tlsSecret(namespace: string, material: TlsMaterial): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/tls',
    metadata: { name: tlsSecretName, namespace, labels: { ...installerLabels } },
    data: {
      'tls.crt': base64(material.tlsCert),
      'tls.key': base64(material.tlsKey),
      'ca.crt': base64(material.caCert),
    },
  };
}

function functionKeySecret(namespace: string, functionKey: string): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: { name: functionKeySecretName, namespace, labels: { ...installerLabels } },
    data: { key: base64(functionKey) },
  };
}

/** Moves a namespaced object (or the Namespace itself, or the binding's service account) to `namespace`. */
function moveToNamespace(object: KubernetesObject, namespace: string): KubernetesObject {
  if (object.kind === 'Namespace') object.metadata.name = namespace;
  else if (object.metadata.namespace) object.metadata.namespace = namespace;
  const subjects = object.kind === 'ClusterRoleBinding' ? object.subjects : undefined;
  for (const subject of Array.isArray(subjects) ? subjects : []) {
    if (typeof subject === 'object' && subject !== null && 'namespace' in subject) subject.namespace = namespace;
  }
  return object;
}

/**
 * Points the webhook at the Service in `namespace`, or at `url` (a proxy outside the
 * cluster: the API server then calls the URL itself), and keeps that namespace out of
 * its reach.
 */
function retargetWebhook(webhook: WebhookConfiguration, namespace: string, url: string | undefined) {
  for (const entry of webhook.webhooks) {
    if (url !== undefined) {
      delete entry.clientConfig.service;
      entry.clientConfig.url = url;
    } else if (entry.clientConfig.service) entry.clientConfig.service.namespace = namespace;
    for (const expression of entry.namespaceSelector?.matchExpressions ?? []) {
      if (expression.key === 'kubernetes.io/metadata.name' && expression.values) {
        expression.values = expression.values.map((value) => (value === defaultNamespace ? namespace : value));
      }
    }
  }
  return webhook;
}

/** The one object of `kind`, checked against the shape the installer reads of it. */
function only<T>(objects: readonly KubernetesObject[], kind: string, schema: z.ZodType<T>): T {
  const found = objects.filter((object) => object.kind === kind);
  const [object] = found;
  if (found.length !== 1) throw new Error(`deploy/kubernetes/base should hold one ${kind}, found ${found.length}`);
  if (!conforms(schema, object)) throw new Error(`deploy/kubernetes/base's ${kind} lacks fields the installer sets`);
  return object;
}

export function describe(object: { kind: string; metadata: { name: string; namespace?: string } }): string {
  return `${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name}`;
}

export function base64(text: string): string {
  return Buffer.from(text).toString('base64');
}
