// The policy admission-check applies: the file named by --policy or POLICY_FILE, else
// policy.yaml in the working directory (where the function app keeps it, so a check run
// from the app's repository decides as the published app does), read and compiled by
// the kernel's parser; else the built-in default with MIN_REPLICAS. The source is named
// in every report, so nobody has to guess which policy decided.
import { existsSync } from 'node:fs';
import {
  defaultPolicy,
  loadPolicyParser,
  maxPolicyBytes,
  oversizedPolicy,
  type Policy,
  PolicyError,
} from '../../functions/core/index.js';
import { readInputFile } from './input-files.js';

export const workingDirectoryPolicy = 'policy.yaml';

export interface LoadedPolicy {
  readonly policy: Policy;
  /** The file it came from, or `built-in (MIN_REPLICAS=N)`. */
  readonly source: string;
}

export async function loadCliPolicy(named: string | undefined, minReplicas: number): Promise<LoadedPolicy> {
  const file = named ?? (existsSync(workingDirectoryPolicy) ? workingDirectoryPolicy : undefined);
  if (file === undefined) return builtInPolicy(minReplicas);
  return { policy: await loadPolicyFile(file), source: file };
}

export function builtInPolicy(minReplicas: number): LoadedPolicy {
  return { policy: defaultPolicy(minReplicas), source: `built-in (MIN_REPLICAS=${minReplicas})` };
}

/** A policy file read and compiled as the function app does; throws the kernel's PolicyError. */
export async function loadPolicyFile(file: string): Promise<Policy> {
  const input = readInputFile(file, maxPolicyBytes);
  if ('reason' in input) {
    throw input.reason.startsWith('too large')
      ? oversizedPolicy(file)
      : new PolicyError(file, `cannot read it: ${input.reason}`);
  }
  const { parsePolicyText } = await loadPolicyParser();
  return parsePolicyText(file, input.text).policy;
}
