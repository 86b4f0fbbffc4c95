// The policy file (policy.yaml), as zod reads it. z.toJSONSchema of this schema is
// committed as policy.schema.json for editors.
import { z } from 'zod';
import { e164Form, e164Pattern } from '../names.js';
import { workloadKinds } from '../workload-kinds.js';
import { celRuleFields } from './cel-rule-schema.js';
import { commonRuleFields, exemptImages, patterns } from './match-schema.js';

const e164 = z.string().regex(e164Pattern, `expected ${e164Form}`);
const common = commonRuleFields;

const resourceNames = z.array(z.enum(['cpu', 'memory', 'ephemeral-storage']));

export const ruleSchema = z.discriminatedUnion('builtin', [
  z.strictObject({ ...common, builtin: z.literal('minimum-replicas'), minimum: z.number().int().min(1).max(1000) }),
  z.strictObject({ ...common, builtin: z.literal('required-labels'), labels: z.array(z.string().min(1)).min(1) }),
  z.strictObject({ ...common, builtin: z.literal('image-tag'), exemptImages }),
  z.strictObject({
    ...common,
    builtin: z.literal('allowed-registries'),
    registries: z.array(z.string().min(1)).min(1),
    exemptImages,
  }),
  z.strictObject({
    ...common,
    builtin: z.literal('resources'),
    requests: resourceNames.default(['cpu', 'memory']),
    limits: resourceNames.default([]),
    exemptImages,
  }),
  z.strictObject({ ...common, builtin: z.literal('no-privileged'), exemptImages }),
  z.strictObject({ ...common, builtin: z.literal('no-host-namespaces') }),
  z.strictObject({ ...common, builtin: z.literal('no-host-path') }),
  z.strictObject({ ...common, builtin: z.literal('run-as-non-root'), exemptImages }),
  z.strictObject({ ...common, builtin: z.literal('cel'), ...celRuleFields }),
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
      /** Replica-only changes: text those a person made (human), all, or none. */
      scale: z.enum(['human', 'all', 'none']).default('human'),
      routes: z
        .array(
          z.strictObject({
            namespaces: z.array(z.string().min(1)).min(1),
            to: z.array(e164).min(1),
            /** Texted instead when Twilio reports a text to `to` undelivered or failed (delivery receipts). */
            fallback: z.array(e164).min(1).optional(),
            /** One text a day per cluster to `to`: the previous UTC day's counts (daily digest). */
            digest: z.boolean().default(false),
            /** Approve by reply: who may admit a denial by `approvable` rules here (E.164; default nobody). */
            approvers: z.array(e164).max(20).default([]),
            /** Two-person rule: 2 when two different approvers must reply. */
            approvals: z.union([z.literal(1), z.literal(2)]).default(1),
          }),
        )
        .default([]),
    })
    .default({ created: true, changed: true, kinds: ['Deployment'], scale: 'human', routes: [] }),
});

export type PolicyFile = z.infer<typeof policyFileSchema>;
export type RuleDefinition = z.infer<typeof ruleSchema>;
