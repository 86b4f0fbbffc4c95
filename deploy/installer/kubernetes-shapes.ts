// The parts of Kubernetes objects the installer reads or changes, as zod shapes. Each
// shape is loose: fields it does not name are kept as they are, so an object checked
// against one goes out whole. Objects from deploy/kubernetes and from the cluster are
// checked here before anything reads them.
import { z } from 'zod';

const stringMap = z.record(z.string(), z.string());

export const kubernetesObjectSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: z.looseObject({
    name: z.string(),
    namespace: z.string().optional(),
    labels: stringMap.optional(),
    annotations: stringMap.optional(),
    generation: z.number().optional(),
  }),
});
export type KubernetesObject = z.infer<typeof kubernetesObjectSchema>;

/** A ConfigMap or a Secret: string data. */
export const dataObjectSchema = kubernetesObjectSchema.extend({ data: stringMap.optional() });

export const deploymentSchema = kubernetesObjectSchema.extend({
  spec: z.looseObject({
    replicas: z.number().optional(),
    template: z.looseObject({
      spec: z.looseObject({ containers: z.array(z.looseObject({ image: z.string().optional() })).min(1) }),
    }),
  }),
});

/** What readiness needs of a Deployment read back from the cluster. */
export const deploymentProgressSchema = z.looseObject({
  metadata: z.looseObject({ generation: z.number().optional() }),
  spec: z.looseObject({ replicas: z.number().optional() }).optional(),
  status: z.looseObject({ readyReplicas: z.number().optional(), observedGeneration: z.number().optional() }).optional(),
});

const webhookSchema = z.looseObject({
  failurePolicy: z.string().optional(),
  timeoutSeconds: z.number().optional(),
  clientConfig: z.looseObject({
    caBundle: z.string().optional(),
    service: z.looseObject({ namespace: z.string() }).optional(),
    url: z.string().optional(),
  }),
  namespaceSelector: z
    .looseObject({
      matchExpressions: z.array(z.looseObject({ key: z.string(), values: z.array(z.string()).optional() })).optional(),
    })
    .optional(),
});

export const webhookConfigurationSchema = kubernetesObjectSchema.extend({ webhooks: z.array(webhookSchema) });
export type WebhookConfiguration = z.infer<typeof webhookConfigurationSchema>;

/** True when `value` has the shape: a guard, so the checked object itself is used, fields in their order. */
export function conforms<T>(schema: z.ZodType<T>, value: unknown): value is T {
  return schema.safeParse(value).success;
}
