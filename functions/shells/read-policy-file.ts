// Reads a policy file and hands its text to the kernel's parser, which is loaded on
// first use: the YAML parser and the CEL compiler stay out of a default start-up. A
// precompiled policy beside the file, made from its current text, is read instead of
// the YAML (read-precompiled-policy.ts). A file over the kernel's size cap is refused
// before it is read into memory.
import { readFile, stat } from 'node:fs/promises';
import {
  type CompiledPolicyFile,
  loadPolicyParser,
  maxPolicyBytes,
  oversizedPolicy,
  PolicyError,
  unreadablePolicy,
} from '../core/index.js';
import { readPrecompiledPolicy, type StartupLog } from './read-precompiled-policy.js';

/** `log` receives one line when a precompiled policy is present but not used. */
export async function readPolicyFile(file: string, log: StartupLog = console.log): Promise<CompiledPolicyFile> {
  if (file.endsWith('.precompiled.json')) throw new PolicyError(file, precompiledNamed);
  const text = await readWithinCap(file);
  const precompiled = await readPrecompiledPolicy(file, text, log);
  if (precompiled) return precompiled;
  const { parsePolicyText } = await loadPolicyParser();
  return parsePolicyText(file, text);
}

const precompiledNamed =
  'it is a precompiled policy, which is read only beside the file it was made from: name that file (policy.yaml) instead';

async function readWithinCap(file: string): Promise<string> {
  let size: number;
  try {
    ({ size } = await stat(file));
  } catch (error) {
    throw unreadablePolicy(file, error);
  }
  if (size > maxPolicyBytes) throw oversizedPolicy(file);
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw unreadablePolicy(file, error);
  }
}
