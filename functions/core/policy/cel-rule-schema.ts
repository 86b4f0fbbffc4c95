// The fields of a CEL rule (`builtin: cel`), as the policy file writes them. Two forms:
// the short one, one `expression` and its `message`; and a ValidatingAdmissionPolicy's
// own words: `variables`, `validations` (each with a message or a messageExpression),
// `matchConditions` and `params`. The failurePolicy is every rule's (match-schema.ts).
import { z } from 'zod';

const expression = z.string().min(1).max(5000);
const message = z.string().min(1).max(1000);
const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'expected a CEL identifier such as replicas');
const conditionName = z
  .string()
  .regex(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, 'expected a name such as exclude-kube-system');

export const celRuleFields = {
  /** The short form: one expression that must be true... */
  expression: expression.optional(),
  /** ...and what to say when it is not. */
  message: message.optional(),
  /** Named expressions, evaluated at most once each when first used, as `variables.<name>`. */
  variables: z
    .array(z.strictObject({ name: identifier, expression }))
    .max(32)
    .default([]),
  validations: z
    .array(
      z.strictObject({
        expression,
        message: message.optional(),
        /** A CEL expression giving the message; when it fails, `message` (or a default) is used. */
        messageExpression: expression.optional(),
        /** As in a ValidatingAdmissionPolicy; kept in the message's reason. */
        reason: z.enum(['Unauthorized', 'Forbidden', 'Invalid', 'RequestEntityTooLarge']).optional(),
      }),
    )
    .max(32)
    .default([]),
  /** All must be true for the rule to apply. */
  matchConditions: z
    .array(z.strictObject({ name: conditionName, expression }))
    .max(16)
    .default([]),
  /** Any JSON object, visible to every expression as `params`. */
  params: z.record(z.string(), z.json()).optional(),
};
