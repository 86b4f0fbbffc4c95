// The objects the installer applies: the kustomize base from deploy/kubernetes/base,
// adjusted to the flags (namespace, function URL, cluster name, image, failure mode),
// plus the two Secrets and the webhook's caBundle. Pure: files in, objects out.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import type { InstallOptions } from './installer-options.js';
import {
  conforms,
  dataObjectSchema,
  deploymentSchema,
  type KubernetesObject,
  kubernetesObjectSchema,
  type WebhookConfiguration,
  webhookConfigurationSchema,
} from './kubernetes-shapes.js';

export type { KubernetesObject } from './kubernetes-shapes.js';

export const defaultNamespace = 'admission-system';
export const fieldManager = 'serverless-admission';
export const tlsSecretName = 'admission-proxy-tls';
export const functionKeySecretName = 'admission-proxy-function-key';
export const webhookConfigurationName = 'serverless-admission';
export const proxyName = 'admission-proxy';

const baseDirectory = new URL('../../../deploy/kubernetes/base/', import.meta.url);
const kustomizationSchema = z.object({ resources: z.array(z.string()) });
/** The order of the workload's objects; the webhook configuration comes last, on its own. */
const workloadOrder = ['ServiceAccount', 'ConfigMap', 'Deployment', 'PodDisruptionBudget', 'Service', 'NetworkPolicy'];

export interface InstallMaterial {
  readonly caCert: string;
  readonly tlsCert: string;
  readonly tlsKey: string;
  /** Absent: keep the key Secret already in the cluster. */
  readonly functionKey: string | undefined;
}

export interface InstallPlan {
  /** Applied first, in this order; the webhook configuration only once the proxy is ready. */
  readonly workload: readonly KubernetesObject[];
  readonly webhook: KubernetesObject;
}

export function readBaseManifests(): KubernetesObject[] {
  const [kustomization] = parseYaml(readFileSync(new URL('kustomization.yaml', baseDirectory), 'utf8'));
  const { resources } = kustomizationSchema.parse(kustomization);
  return resources.flatMap((file) =>
    parseYaml(readFileSync(new URL(file, baseDirectory), 'utf8')).map((object) => {
      if (conforms(kubernetesObjectSchema, object)) return object;
      throw new Error(`deploy/kubernetes/base/${file} holds a document that is not a Kubernetes object`);
    }),
  );
}

export function planInstall(
  base: readonly KubernetesObject[],
  options: InstallOptions,
  material: InstallMaterial,
): InstallPlan {
  const { namespace } = options;
  const labels = { 'app.kubernetes.io/part-of': 'serverless-admission', 'app.kubernetes.io/managed-by': fieldManager };
  const objects = base.map((object) => {
    const copy = moveToNamespace(structuredClone(object), namespace);
    copy.metadata.labels = { ...copy.metadata.labels, ...labels };
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

  const webhook = retargetWebhook(
    only(objects, 'ValidatingWebhookConfiguration', webhookConfigurationSchema),
    namespace,
  );
  for (const entry of webhook.webhooks) entry.clientConfig.caBundle = base64(material.caCert);
  const workload = workloadOrder.map((kind) => only(objects, kind, kubernetesObjectSchema));
  const namespaceObject = only(objects, 'Namespace', kubernetesObjectSchema);
  return { workload: [namespaceObject, ...secrets(namespace, labels, material), ...workload], webhook };
}

function secrets(namespace: string, labels: Record<string, string>, material: InstallMaterial): KubernetesObject[] {
  const tls: KubernetesObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/tls',
    metadata: { name: tlsSecretName, namespace, labels },
    data: {
      'tls.crt': base64(material.tlsCert),
      'tls.key': base64(material.tlsKey),
      'ca.crt': base64(material.caCert),
    },
  };
  if (material.functionKey === undefined) return [tls];
  const key: KubernetesObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: { name: functionKeySecretName, namespace, labels },
    data: { key: base64(material.functionKey) },
  };
  return [tls, key];
}

/** Moves a namespaced object (or the Namespace itself) to `namespace`. */
function moveToNamespace(object: KubernetesObject, namespace: string): KubernetesObject {
  if (object.kind === 'Namespace') object.metadata.name = namespace;
  else if (object.metadata.namespace) object.metadata.namespace = namespace;
  return object;
}

/** Points the webhook at the Service in `namespace`, and keeps that namespace out of its reach. */
function retargetWebhook(webhook: WebhookConfiguration, namespace: string): WebhookConfiguration {
  for (const entry of webhook.webhooks) {
    if (entry.clientConfig.service) entry.clientConfig.service.namespace = namespace;
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

function parseYaml(text: string): unknown[] {
  return parseAllDocuments(text)
    .map((document): unknown => document.toJS())
    .filter((value) => value !== null && value !== undefined);
}

function base64(text: string): string {
  return Buffer.from(text).toString('base64');
}
