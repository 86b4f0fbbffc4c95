// Writes the precompiled policy beside a policy file (policy.yaml: policy.precompiled.json):
// its data as JSON with the file's SHA-256, which the function app reads at start-up
// instead of parsing YAML. Refuses, with start-up's own message, a policy that would not
// load. Used by package-function-app.ts and by `npm run policy:precompile -- FILE`.
import { readFileSync, writeFileSync } from 'node:fs';
import {
  loadPolicyParser,
  loadPrecompiledPolicyReader,
  maxPolicyBytes,
  oversizedPolicy,
} from '../../functions/core/index.js';

/** Returns the path written. Throws the kernel's PolicyError for a policy that does not load. */
export async function writePrecompiledPolicy(policyFile: string): Promise<string> {
  const text = readFileSync(policyFile, 'utf8');
  if (Buffer.byteLength(text, 'utf8') > maxPolicyBytes) throw oversizedPolicy(policyFile);
  const { precompilePolicyText } = await loadPolicyParser();
  const { precompiledPolicyName } = await loadPrecompiledPolicyReader();
  const target = precompiledPolicyName(policyFile);
  writeFileSync(target, precompilePolicyText(policyFile, text));
  return target;
}
