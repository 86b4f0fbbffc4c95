// Reads the policy at start-up: POLICY_FILE, or policy.yaml at the function app's root,
// or, when neither exists, the built-in default (MIN_REPLICAS). A policy that does not
// parse, validate or compile stops start-up with the file, and the rule or path, named.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { findAppRoot } from '../config/app-root.js';
import { describeIssues } from '../core/describe-issues.js';
import { defaultPolicy } from '../core/policy.js';
import { compilePolicy, type CompiledPolicyFile } from './compile-policy.js';
import { policyFileSchema } from './policy-schema.js';

export const appRootPolicyFile = join(findAppRoot(), 'policy.yaml');

export class PolicyError extends Error {
  readonly code = 'INVALID_POLICY';
  constructor(file: string, message: string) {
    super(`invalid policy ${file}: ${message}`);
    this.name = 'PolicyError';
  }
}

export interface LoadedPolicy extends CompiledPolicyFile {
  /** The file it came from, or undefined for the built-in default. */
  readonly file: string | undefined;
}

export function loadPolicy(env: Readonly<Record<string, string | undefined>>, minReplicas: number): LoadedPolicy {
  const configured = env.POLICY_FILE?.trim();
  const file = configured || (existsSync(appRootPolicyFile) ? appRootPolicyFile : undefined);
  if (!file) return { policy: defaultPolicy(minReplicas), routes: [], file: undefined };
  return { ...readPolicyFile(file), file };
}

export function readPolicyFile(file: string): CompiledPolicyFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new PolicyError(file, `cannot read it (${(error as { code?: string }).code ?? 'error'})`);
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true });
  const [yamlError] = document.errors;
  if (yamlError) throw new PolicyError(file, `line ${yamlError.linePos?.[0].line ?? '?'}: not valid YAML: ${yamlError.message.split('\n')[0]}`);
  const parsed = policyFileSchema.safeParse(document.toJS());
  if (!parsed.success) throw new PolicyError(file, describeIssues(parsed.error, ''));
  try {
    return compilePolicy(parsed.data);
  } catch (error) {
    throw new PolicyError(file, (error as Error).message);
  }
}
