// The policy admission-check applies: the file named by --policy or POLICY_FILE, else
// policy.yaml in the working directory (where the function app keeps it, so a check run
// from the app's repository decides as the published app does), read and compiled by
// the kernel's parser; else the built-in default with MIN_REPLICAS.
import { existsSync, readFileSync } from 'node:fs';
import { defaultPolicy, loadPolicyParser, type Policy, unreadablePolicy } from '../../functions/core/index.js';

export const workingDirectoryPolicy = 'policy.yaml';

export async function loadCliPolicy(named: string | undefined, minReplicas: number): Promise<Policy> {
  const file = named ?? (existsSync(workingDirectoryPolicy) ? workingDirectoryPolicy : undefined);
  if (file === undefined) return defaultPolicy(minReplicas);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw unreadablePolicy(file, error);
  }
  const { parsePolicyText } = await loadPolicyParser();
  return parsePolicyText(file, text).policy;
}
