// An overlay of deploy/kubernetes rendered as a user would (`kubectl kustomize`), from
// a copy of the folder holding the files the overlay reads, with the webhook pointed
// at a proxy outside the cluster (the test API server has no Service routing).
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { repositoryRoot } from './clean-copy.js';
import { webhookPointedAt } from './cluster-webhook.js';
import { run } from './kube-apiserver.js';

export interface OverlayInputs {
  readonly files: Readonly<Record<string, string>>;
}

/** The rendered objects of `overlay` (e.g. "overlays/files"), each as JSON-ready data. */
export async function renderOverlay(overlay: string, inputs: OverlayInputs, webhookUrl: string): Promise<unknown[]> {
  const copy = mkdtempSync(join(tmpdir(), 'kustomize-'));
  cpSync(join(repositoryRoot, 'deploy/kubernetes'), copy, { recursive: true });
  for (const [name, content] of Object.entries(inputs.files)) writeFileSync(join(copy, overlay, name), content);
  const rendered = await run('kubectl', ['kustomize', join(copy, overlay)]);
  if (rendered.code !== 0) throw new Error(`kubectl kustomize ${overlay} failed: ${rendered.stderr}`);
  return parseAllDocuments(rendered.stdout).map((document) => {
    const object: unknown = forKubernetes120(document.toJS());
    return isWebhookConfiguration(object) ? webhookPointedAt(webhookUrl, caOf(object), object) : object;
  });
}

/**
 * The test API server is v1.20; the manifests target current AKS. Three things it does
 * not know are adapted here, and only here: PodDisruptionBudget is policy/v1beta1 there
 * (policy/v1 came in 1.21) without unhealthyPodEvictionPolicy (1.26), and topology spread
 * constraints have no nodeTaintsPolicy (1.26) or matchLabelKeys (1.27).
 */
function forKubernetes120(object: unknown): unknown {
  if (typeof object !== 'object' || object === null) return object;
  if (field(object, 'kind') === 'PodDisruptionBudget') {
    const spec: unknown = field(object, 'spec');
    if (typeof spec === 'object' && spec !== null) Reflect.deleteProperty(spec, 'unhealthyPodEvictionPolicy');
    return { ...object, apiVersion: 'policy/v1beta1' };
  }
  const constraints = field(field(field(field(object, 'spec'), 'template'), 'spec'), 'topologySpreadConstraints');
  if (!Array.isArray(constraints)) return object;
  for (const constraint of constraints) {
    Reflect.deleteProperty(constraint, 'nodeTaintsPolicy');
    Reflect.deleteProperty(constraint, 'matchLabelKeys');
  }
  return object;
}

function field(value: unknown, name: string | number): unknown {
  return typeof value === 'object' && value !== null ? Reflect.get(value, name) : undefined;
}

function isWebhookConfiguration(object: unknown): boolean {
  return field(object, 'kind') === 'ValidatingWebhookConfiguration';
}

/** The CA the overlay put into the (first) webhook's caBundle, back as PEM. */
function caOf(object: unknown): string {
  const bundle = field(field(field(field(object, 'webhooks'), 0), 'clientConfig'), 'caBundle');
  return Buffer.from(typeof bundle === 'string' ? bundle : '', 'base64').toString('utf8');
}

/** A kubectl List of the objects, for `kubectl apply -f -`. */
export function asList(objects: readonly unknown[]): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects });
}
