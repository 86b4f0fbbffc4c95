// The policy file as export vap reads it: its rules as written, with the defaults the
// kernel gives them. The file has already been read and compiled by the kernel's parser
// (so every error is the webhook's POLICY_INVALID); this reads the same YAML again as
// data, because the kernel's entry gives compiled checks, not the options of each rule.
// Lenient objects: the kernel's strict schema has already refused unknown fields.
import { z } from 'zod';

const selector = z.object({
  matchLabels: z.record(z.string(), z.string()).default({}),
  matchExpressions: z
    .array(
      z.object({
        key: z.string(),
        operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
        values: z.array(z.string()).default([]),
      }),
    )
    .default([]),
});

const patterns = z.array(z.string()).default([]);
const named = z.object({ name: z.string(), expression: z.string() });

const ruleSchema = z.object({
  name: z.string(),
  builtin: z.string(),
  match: z
    .object({
      kinds: z.array(z.string()).optional(),
      operations: z.array(z.enum(['CREATE', 'UPDATE', 'DELETE', 'CONNECT'])).optional(),
      namespaces: z.object({ include: patterns, exclude: patterns }).default({ include: [], exclude: [] }),
      objectSelector: selector.optional(),
      labelSelector: selector.optional(),
      namespaceSelector: selector.optional(),
    })
    .default({ namespaces: { include: [], exclude: [] } }),
  action: z.enum(['deny', 'warn', 'audit']).default('deny'),
  notify: z.boolean().optional(),
  failurePolicy: z.enum(['Fail', 'Ignore']).default('Fail'),
  autogen: z.boolean().default(true),
  minimum: z.number().default(1),
  labels: z.array(z.string()).default([]),
  registries: z.array(z.string()).default([]),
  requests: z.array(z.string()).default(['cpu', 'memory']),
  limits: z.array(z.string()).default([]),
  exemptImages: patterns,
  expression: z.string().optional(),
  message: z.string().optional(),
  variables: z.array(named).default([]),
  validations: z
    .array(
      z.object({
        expression: z.string(),
        message: z.string().optional(),
        messageExpression: z.string().optional(),
        reason: z.string().optional(),
      }),
    )
    .default([]),
  matchConditions: z.array(named).default([]),
  params: z.record(z.string(), z.unknown()).optional(),
});

export const exportPolicySchema = z.object({
  rules: z.array(ruleSchema).default([]),
  exemptions: z
    .array(z.object({ namespaces: patterns, names: patterns, users: patterns, groups: patterns }))
    .default([]),
});

export type ExportPolicy = z.infer<typeof exportPolicySchema>;
export type ExportRule = z.infer<typeof ruleSchema>;
export type LabelSelectorDefinition = z.infer<typeof selector>;

/** Without a policy file: the built-in rule, Deployments with at least MIN_REPLICAS. */
export function builtInExportPolicy(minReplicas: number): ExportPolicy {
  return exportPolicySchema.parse({
    rules: [
      { name: 'minimum-replicas', builtin: 'minimum-replicas', minimum: minReplicas, match: { kinds: ['Deployment'] } },
    ],
  });
}
