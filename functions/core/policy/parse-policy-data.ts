// Validates and compiles a policy already read into plain data: the YAML parser's output
// (parse-policy.ts) or a precompiled policy's JSON (precompiled-policy.ts). Every
// load-time check is here, whichever file the data came from: the schema, rule names,
// CEL parse, type check and cost estimate. Imports no YAML parser.
import { describeIssues } from '../describe-issues.js';
import { type CompiledPolicyFile, type CompileOptions, compilePolicy } from './compile-policy.js';
import { PolicyError } from './policy-error.js';
import { policyFileSchema } from './policy-schema.js';

/** `source` names the file in messages; values are never quoted. */
export function parsePolicyData(source: string, data: unknown, options: CompileOptions = {}): CompiledPolicyFile {
  const parsed = policyFileSchema.safeParse(data);
  if (!parsed.success) throw new PolicyError(source, describeIssues(parsed.error, ''));
  try {
    return compilePolicy(parsed.data, options);
  } catch (error) {
    throw new PolicyError(source, error instanceof Error ? error.message : 'does not compile', { cause: error });
  }
}
