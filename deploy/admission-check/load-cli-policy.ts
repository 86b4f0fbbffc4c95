// The policy admission-check applies: the file named by --policy or POLICY_FILE, read
// and compiled by the kernel's parser, or the built-in default with MIN_REPLICAS.
import { readFileSync } from 'node:fs';
import { defaultPolicy, loadPolicyParser, type Policy, PolicyError } from '../../functions/core/index.js';

export async function loadCliPolicy(file: string | undefined, minReplicas: number): Promise<Policy> {
  if (file === undefined) return defaultPolicy(minReplicas);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'error';
    throw new PolicyError(file, `cannot read it (${code})`, { cause: error });
  }
  const { parsePolicyText } = await loadPolicyParser();
  return parsePolicyText(file, text).policy;
}
