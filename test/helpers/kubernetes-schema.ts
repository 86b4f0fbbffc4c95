// Validates a Kubernetes object against the published OpenAPI schema of its kind
// (kubernetes-models, @kubernetes-models/cert-manager). The Secrets Store CSI driver
// publishes no model; its SecretProviderClass is checked for the fields Azure reads.
import { z } from 'zod';
import type { KubernetesObject } from './kustomize.js';

const secretProviderClass = z.object({
  spec: z.object({
    provider: z.literal('azure'),
    parameters: z.object({
      clientID: z.string().uuid(),
      tenantId: z.string().uuid(),
      keyvaultName: z.string().min(1),
      objects: z.string().min(1),
    }),
  }),
});

/**
 * The object with its base64 fields (Secret data, webhook caBundles) on one line.
 * kustomize folds long base64 values over lines; the API server decodes them with
 * Go's base64, which skips line breaks, but the schema's "byte" format does not.
 */
function unfoldBase64(object: KubernetesObject): KubernetesObject {
  const unfold = (value: unknown) => (typeof value === 'string' ? value.replace(/[\r\n]/g, '') : value);
  const copy = structuredClone(object);
  if (copy.kind === 'Secret' && isRecord(copy.data)) {
    for (const [key, value] of Object.entries(copy.data)) copy.data[key] = unfold(value);
  }
  const webhooks: unknown = copy.webhooks;
  if (copy.kind.endsWith('WebhookConfiguration') && Array.isArray(webhooks)) {
    for (const webhook of webhooks as unknown[]) {
      if (isRecord(webhook) && isRecord(webhook.clientConfig) && 'caBundle' in webhook.clientConfig) {
        webhook.clientConfig.caBundle = unfold(webhook.clientConfig.caBundle);
      }
    }
  }
  return copy;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export async function validateAgainstSchema(original: KubernetesObject): Promise<void> {
  if (original.kind === 'SecretProviderClass') return void secretProviderClass.parse(original);
  const object = unfoldBase64(original);
  const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion];
  const module =
    group === 'cert-manager.io'
      ? await import(`@kubernetes-models/cert-manager/cert-manager.io/${version}/${object.kind}`)
      : await import(
          group ? `kubernetes-models/${group}/${version}/${object.kind}` : `kubernetes-models/${version}/${object.kind}`
        );
  new module[object.kind](object).validate();
}
