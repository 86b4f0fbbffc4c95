// The policy file (policy.yaml), as zod reads it. z.toJSONSchema of this schema is
// committed as policy.schema.json for editors.
import { z } from 'zod';
import { dnsLabelPattern, e164Form, e164Pattern } from '../names.js';
import { workloadKinds } from '../workload-kinds.js';

const patterns = z.array(z.string().min(1).max(253)).default([]);
const name = z.string().regex(dnsLabelPattern, 'expected a lowercase name such as no-latest-tag');
const e164 = z.string().regex(e164Pattern, `expected ${e164Form}`);

const match = z
  .strictObject({
    kinds: z.array(z.enum(workloadKinds)).min(1).optional(),
    namespaces: z.strictObject({ include: patterns, exclude: patterns }).default({ include: [], exclude: [] }),
    labelSelector: z
      .strictObject({
        matchLabels: z.record(z.string(), z.string()).default({}),
        matchExpressions: z
          .array(
            z.strictObject({
              key: z.string(),
              operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
              values: z.array(z.string()).default([]),
            }),
          )
          .default([]),
      })
      .optional(),
  })
  .default({ namespaces: { include: [], exclude: [] } });

const common = {
  name,
  description: z.string().max(500).optional(),
  match,
  action: z.enum(['deny', 'warn', 'audit']).default('deny'),
  notify: z.boolean().optional(),
};

const resourceNames = z.array(z.enum(['cpu', 'memory', 'ephemeral-storage']));

export const ruleSchema = z.discriminatedUnion('builtin', [
  z.strictObject({ ...common, builtin: z.literal('minimum-replicas'), minimum: z.number().int().min(1).max(1000) }),
  z.strictObject({ ...common, builtin: z.literal('required-labels'), labels: z.array(z.string().min(1)).min(1) }),
  z.strictObject({ ...common, builtin: z.literal('image-tag') }),
  z.strictObject({
    ...common,
    builtin: z.literal('allowed-registries'),
    registries: z.array(z.string().min(1)).min(1),
  }),
  z.strictObject({
    ...common,
    builtin: z.literal('resources'),
    requests: resourceNames.default(['cpu', 'memory']),
    limits: resourceNames.default([]),
  }),
  z.strictObject({ ...common, builtin: z.literal('no-privileged') }),
  z.strictObject({ ...common, builtin: z.literal('no-host-namespaces') }),
  z.strictObject({ ...common, builtin: z.literal('no-host-path') }),
  z.strictObject({ ...common, builtin: z.literal('run-as-non-root') }),
  z.strictObject({
    ...common,
    builtin: z.literal('cel'),
    expression: z.string().min(1).max(2000),
    message: z.string().min(1).max(500),
  }),
]);

export const policyFileSchema = z.strictObject({
  apiVersion: z.literal('admission.serverless.io/v1'),
  kind: z.literal('AdmissionPolicy'),
  rules: z.array(ruleSchema).default([]),
  exemptions: z
    .array(z.strictObject({ namespaces: patterns, names: patterns, users: patterns, groups: patterns }))
    .default([]),
  notifications: z
    .strictObject({
      created: z.boolean().default(true),
      changed: z.boolean().default(true),
      kinds: z.array(z.enum(workloadKinds)).default(['Deployment']),
      routes: z
        .array(z.strictObject({ namespaces: z.array(z.string().min(1)).min(1), to: z.array(e164).min(1) }))
        .default([]),
    })
    .default({ created: true, changed: true, kinds: ['Deployment'], routes: [] }),
});

export type PolicyFile = z.infer<typeof policyFileSchema>;
export type RuleDefinition = z.infer<typeof ruleSchema>;
