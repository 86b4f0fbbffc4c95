// The JSON Schema of the policy file, rendered from the zod schema (what a user may
// write: defaults are optional). Committed as deploy/policy-schema/policy.schema.json.
import { z } from 'zod';
import { policyFileSchema } from './policy-schema.js';

export function renderPolicyJsonSchema(): string {
  const schema = z.toJSONSchema(policyFileSchema, { io: 'input', target: 'draft-2020-12' });
  return `${JSON.stringify({ ...schema, title: 'serverless-admission policy (policy.yaml)' }, null, 2)}\n`;
}
