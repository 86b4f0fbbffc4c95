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

export async function validateAgainstSchema(object: KubernetesObject): Promise<void> {
  if (object.kind === 'SecretProviderClass') return void secretProviderClass.parse(object);
  const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion];
  const module =
    group === 'cert-manager.io'
      ? await import(`@kubernetes-models/cert-manager/cert-manager.io/${version}/${object.kind}`)
      : await import(
          group ? `kubernetes-models/${group}/${version}/${object.kind}` : `kubernetes-models/${version}/${object.kind}`
        );
  new module[object.kind](object).validate();
}
