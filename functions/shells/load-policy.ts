// Finds the policy at start-up: POLICY_FILE, or policy.yaml at the function app's root,
// or, when neither exists, the built-in default (MIN_REPLICAS). A policy that does not
// parse, validate or compile stops start-up with the file, and the rule or path, named.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type CompiledPolicyFile, defaultPolicy } from '../core/index.js';
import { findAppRoot } from './app-root.js';
import { readPolicyFile } from './read-policy-file.js';

export const appRootPolicyFile = join(findAppRoot(), 'policy.yaml');

export interface LoadedPolicy extends CompiledPolicyFile {
  /** The file it came from, or undefined for the built-in default. */
  readonly file: string | undefined;
}

/** `policyFile` is POLICY_FILE, already read from the settings. */
export async function loadPolicy(policyFile: string | undefined, minReplicas: number): Promise<LoadedPolicy> {
  const file = policyFile ?? (existsSync(appRootPolicyFile) ? appRootPolicyFile : undefined);
  if (!file) return { policy: defaultPolicy(minReplicas), routes: [], file: undefined };
  return { ...(await readPolicyFile(file)), file };
}
