// The manifests the installer applies, read from deploy/kubernetes beside it: the
// kustomize base's resources (the workload) and the webhook registration, which lives
// in components/webhook so that nothing can apply it without a caBundle.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { conforms, type KubernetesObject, kubernetesObjectSchema } from './kubernetes-shapes.js';

const manifestsDirectory = new URL('../../../deploy/kubernetes/', import.meta.url);
const basePath = 'base/';
const webhookPath = 'components/webhook/validatingwebhookconfiguration.yaml';
const kustomizationSchema = z.object({ resources: z.array(z.string()) });

export interface Manifests {
  /** The base's objects, as written (no webhook configuration among them). */
  readonly base: readonly KubernetesObject[];
  /** The ValidatingWebhookConfiguration, without a caBundle. */
  readonly webhook: KubernetesObject;
}

export function readManifests(): Manifests {
  const [kustomization] = readObjects(`${basePath}kustomization.yaml`, false);
  const { resources } = kustomizationSchema.parse(kustomization);
  // A base that still lists the registration does not get it applied twice, or early.
  const base = resources
    .flatMap((file) => readObjects(`${basePath}${file}`, true))
    .filter((object) => conforms(kubernetesObjectSchema, object))
    .filter((object) => object.kind !== 'ValidatingWebhookConfiguration');
  const webhooks = readObjects(webhookPath, true);
  const [webhook] = webhooks;
  if (webhooks.length !== 1 || !conforms(kubernetesObjectSchema, webhook)) {
    throw new Error(`deploy/kubernetes/${webhookPath} should hold one ValidatingWebhookConfiguration`);
  }
  return { base, webhook };
}

/** The documents of one file; with `objects`, each checked to be a Kubernetes object. */
function readObjects(path: string, objects: boolean): unknown[] {
  let text: string;
  try {
    text = readFileSync(new URL(path, manifestsDirectory), 'utf8');
  } catch (error) {
    throw new Error(`cannot read deploy/kubernetes/${path}, which the installer applies`, { cause: error });
  }
  const documents = parseAllDocuments(text)
    .map((document): unknown => document.toJS())
    .filter((value) => value !== null && value !== undefined);
  for (const document of objects ? documents : []) {
    if (!conforms(kubernetesObjectSchema, document))
      throw new Error(`deploy/kubernetes/${path} holds a document that is not a Kubernetes object`);
  }
  return documents;
}
