// Reads a policy file and hands its text to the kernel's parser, which is loaded on
// first use: the YAML parser and the CEL compiler stay out of a default start-up. A
// file over the kernel's size cap is refused before it is read into memory.
import { readFile, stat } from 'node:fs/promises';
import {
  type CompiledPolicyFile,
  loadPolicyParser,
  maxPolicyBytes,
  oversizedPolicy,
  unreadablePolicy,
} from '../core/index.js';

export async function readPolicyFile(file: string): Promise<CompiledPolicyFile> {
  const text = await readWithinCap(file);
  const { parsePolicyText } = await loadPolicyParser();
  return parsePolicyText(file, text);
}

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
