// The objects the installer applies: the kustomize base from deploy/kubernetes/base,
// adjusted to the flags (namespace, function URL, cluster name, image, failure mode),
// plus the two Secrets and the webhook's caBundle. Pure: files in, objects out.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { InstallOptions } from './installer-options.js';

export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: any;
}

export const defaultNamespace = 'admission-system';
export const fieldManager = 'serverless-admission';
export const tlsSecretName = 'admission-proxy-tls';
export const functionKeySecretName = 'admission-proxy-function-key';
export const webhookConfigurationName = 'serverless-admission';
export const proxyName = 'admission-proxy';

const baseDirectory = new URL('../../../deploy/kubernetes/base/', import.meta.url);

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
  const kustomization = parseYaml(readFileSync(new URL('kustomization.yaml', baseDirectory), 'utf8'))[0] as unknown as {
    resources: string[];
  };
  return kustomization.resources.flatMap((file) => parseYaml(readFileSync(new URL(file, baseDirectory), 'utf8')));
}

export function planInstall(
  base: readonly KubernetesObject[],
  options: InstallOptions,
  material: InstallMaterial,
): InstallPlan {
  const namespace = options.namespace;
  const objects = base.map((object) => retarget(structuredClone(object), namespace));
  const labels = { 'app.kubernetes.io/part-of': 'serverless-admission', 'app.kubernetes.io/managed-by': fieldManager };
  for (const object of objects) object.metadata.labels = { ...object.metadata.labels, ...labels };

  const configMap = only(objects, 'ConfigMap');
  configMap.data = { ...configMap.data, FUNCTION_URL: options.functionUrl, FAILURE_MODE: options.failureMode };
  if (options.clusterName) configMap.data.CLUSTER_NAME = options.clusterName;
  else delete configMap.data.CLUSTER_NAME;
  const deployment = only(objects, 'Deployment');
  deployment.spec.template.spec.containers[0].image = options.image;

  const secrets: KubernetesObject[] = [
    {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/tls',
      metadata: { name: tlsSecretName, namespace, labels },
      data: {
        'tls.crt': base64(material.tlsCert),
        'tls.key': base64(material.tlsKey),
        'ca.crt': base64(material.caCert),
      },
    },
  ];
  if (material.functionKey !== undefined) {
    secrets.push({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: { name: functionKeySecretName, namespace, labels },
      data: { key: base64(material.functionKey) },
    });
  }

  const webhook = only(objects, 'ValidatingWebhookConfiguration');
  for (const entry of webhook.webhooks) entry.clientConfig.caBundle = base64(material.caCert);
  const order = [
    'Namespace',
    'ServiceAccount',
    'ConfigMap',
    'Deployment',
    'PodDisruptionBudget',
    'Service',
    'NetworkPolicy',
  ];
  const workload = order.map((kind) => only(objects, kind));
  return { workload: [workload[0] as KubernetesObject, ...secrets, ...workload.slice(1)], webhook };
}

/** Moves every namespaced object, and the webhook's references, to `namespace`. */
function retarget(object: KubernetesObject, namespace: string): KubernetesObject {
  if (object.kind === 'Namespace') object.metadata.name = namespace;
  else if (object.metadata.namespace) object.metadata.namespace = namespace;
  if (object.kind === 'ValidatingWebhookConfiguration') {
    for (const entry of object.webhooks) {
      entry.clientConfig.service.namespace = namespace;
      for (const expression of entry.namespaceSelector.matchExpressions) {
        if (expression.key === 'kubernetes.io/metadata.name') {
          expression.values = expression.values.map((value: string) =>
            value === defaultNamespace ? namespace : value,
          );
        }
      }
    }
  }
  return object;
}

function only(objects: readonly KubernetesObject[], kind: string): KubernetesObject {
  const found = objects.filter((object) => object.kind === kind);
  if (found.length !== 1) throw new Error(`deploy/kubernetes/base should hold one ${kind}, found ${found.length}`);
  return found[0] as KubernetesObject;
}

function parseYaml(text: string): KubernetesObject[] {
  return parseAllDocuments(text)
    .map((document) => document.toJS() as KubernetesObject)
    .filter(Boolean);
}

function base64(text: string): string {
  return Buffer.from(text).toString('base64');
}
