// Where a rule applies, and the fields every rule has, as the policy file writes them
// (the ValidatingAdmissionPolicy words where they exist: operations, objectSelector,
// namespaceSelector, failurePolicy). policy-schema.ts builds each rule from these.
import { z } from 'zod';
import { operations } from '../admission-review.js';
import { dnsLabelPattern } from '../names.js';
import { anyKind, kindPattern } from '../workload-kinds.js';

export const patterns = z.array(z.string().min(1).max(253)).default([]);
const name = z.string().regex(dnsLabelPattern, 'expected a lowercase name such as no-latest-tag');

const labelSelector = z.strictObject({
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
});

const kind = z.union([z.literal(anyKind), z.string().regex(kindPattern, 'expected a kind such as Deployment, or *')]);

export const matchSchema = z
  .strictObject({
    /** Any kind by name (`Namespace`, `ConfigMap`), or `*` for every kind. */
    kinds: z.array(kind).min(1).optional(),
    /** Default CREATE and UPDATE. The webhook registration sends only what it registers. */
    operations: z.array(z.enum(operations)).min(1).optional(),
    namespaces: z.strictObject({ include: patterns, exclude: patterns }).default({ include: [], exclude: [] }),
    /** The object's labels (on an UPDATE, before or after). */
    objectSelector: labelSelector.optional(),
    /** The older name of objectSelector; still read. */
    labelSelector: labelSelector.optional(),
    /** The labels of the object's Namespace (of a Namespace, its own). */
    namespaceSelector: labelSelector.optional(),
  })
  .refine((match) => !(match.objectSelector && match.labelSelector), {
    message: 'set objectSelector or labelSelector (its older name), not both',
  })
  .default({ namespaces: { include: [], exclude: [] } });

export type MatchDefinition = z.infer<typeof matchSchema>;

/** Fields every rule has, built-in or CEL. */
export const commonRuleFields = {
  name,
  description: z.string().max(500).optional(),
  match: matchSchema,
  action: z.enum(['deny', 'warn', 'audit']).default('deny'),
  notify: z.boolean().optional(),
  /** What the rule answers when it cannot decide (a namespaceSelector without the namespace's labels). */
  failurePolicy: z.enum(['Fail', 'Ignore']).default('Fail'),
  /**
   * For CEL rules whose match.kinds names Pod: also run on the pod templates of the
   * workload kinds, the expression seeing a Pod-shaped `object` (rules/pod-views.ts).
   */
  autogen: z.boolean().default(true),
  /**
   * Approve by reply: a denial by this rule (and only rules like it) may be admitted
   * once by a route's approvers. Only on `action: deny`; never with `critical`.
   */
  approvable: z.boolean().default(false),
  /** Security-critical: never approvable by reply (the load refuses both together). */
  critical: z.boolean().default(false),
};

/** For rules that check containers: images to skip, as patterns (`mcr.microsoft.com/oss/*`). */
export const exemptImages = z.array(z.string().min(1).max(253)).max(100).default([]);
