// Reads a policy file and hands its text to the kernel's parser, which is loaded on
// first use: the YAML parser and the CEL compiler stay out of a default start-up.
import { readFile } from 'node:fs/promises';
import { type CompiledPolicyFile, loadPolicyParser, unreadablePolicy } from '../core/index.js';

export async function readPolicyFile(file: string): Promise<CompiledPolicyFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw unreadablePolicy(file, error);
  }
  const { parsePolicyText } = await loadPolicyParser();
  return parsePolicyText(file, text);
}
