// Finds the policy at start-up: POLICY_FILE, or policy.yaml at the function app's root,
// or, when neither exists, the built-in default (MIN_REPLICAS). A policy that does not
// parse, validate or compile stops start-up with the file, and the rule or path, named.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findAppRoot } from '../config/app-root.js';
import { defaultPolicy } from '../core/policy.js';
import type { CompiledPolicyFile } from './compile-policy.js';

export { PolicyError } from './policy-error.js';

export const appRootPolicyFile = join(findAppRoot(), 'policy.yaml');

export interface LoadedPolicy extends CompiledPolicyFile {
  /** The file it came from, or undefined for the built-in default. */
  readonly file: string | undefined;
}

export async function loadPolicy(env: Readonly<Record<string, string | undefined>>, minReplicas: number): Promise<LoadedPolicy> {
  const configured = env.POLICY_FILE?.trim();
  const file = configured || (existsSync(appRootPolicyFile) ? appRootPolicyFile : undefined);
  if (!file) return { policy: defaultPolicy(minReplicas), routes: [], file: undefined };
  const { readPolicyFile } = await import('./read-policy-file.js');
  return { ...readPolicyFile(file), file };
}
