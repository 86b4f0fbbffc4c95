// Finds the policy at start-up: POLICY_FILE, or policy.yaml at the function app's root,
// or, when neither exists, the built-in default (MIN_REPLICAS). A policy that does not
// parse, validate or compile stops start-up with the file, and the rule or path, named.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type CompiledPolicyFile, defaultPolicy } from '../core/index.js';
import { findAppRoot } from './app-root.js';
import { readPolicyFile } from './read-policy-file.js';
import type { StartupLog } from './read-precompiled-policy.js';

export const appRootPolicyFile = join(findAppRoot(), 'policy.yaml');

export interface LoadedPolicy extends CompiledPolicyFile {
  /** The file it came from, or undefined for the built-in default. */
  readonly file: string | undefined;
}

// Both entry modules load the policy when the worker imports them (admission for its
// rules, notify for its routes): one process reads and compiles each file once.
const loadedFiles = new Map<string, Promise<CompiledPolicyFile>>();

/**
 * `policyFile` is POLICY_FILE, already read from the settings. A precompiled policy beside
 * the file (policy.precompiled.json) is read instead of its YAML when made from its text.
 */
export async function loadPolicy(
  policyFile: string | undefined,
  minReplicas: number,
  log: StartupLog = console.log,
): Promise<LoadedPolicy> {
  const file = policyFile ?? (existsSync(appRootPolicyFile) ? appRootPolicyFile : undefined);
  if (!file) return { policy: defaultPolicy(minReplicas), routes: [], file: undefined };
  let loading = loadedFiles.get(file);
  if (!loading) {
    loading = readPolicyFile(file, log);
    loadedFiles.set(file, loading);
  }
  return { ...(await loading), file };
}
