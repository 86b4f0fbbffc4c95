// The JSON Schema of the policy file, rendered from the zod schema (what a user may
// write: defaults are optional). Committed as functions/policy/policy.schema.json.
import { join } from 'node:path';
import { z } from 'zod';
import { findAppRoot } from '../config/app-root.js';
import { policyFileSchema } from './policy-schema.js';

export const policyJsonSchemaFile = join(findAppRoot(), 'functions', 'policy', 'policy.schema.json');

export function renderPolicyJsonSchema(): string {
  const schema = z.toJSONSchema(policyFileSchema, { io: 'input', target: 'draft-2020-12' });
  return `${JSON.stringify({ ...schema, title: 'serverless-admission policy (policy.yaml)' }, null, 2)}\n`;
}
