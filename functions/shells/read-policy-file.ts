// Reads a policy file and hands its text to the kernel's parser, which is loaded on
// first use: the YAML parser and the CEL compiler stay out of a default start-up.
import { readFile } from 'node:fs/promises';
import { type CompiledPolicyFile, loadPolicyParser, PolicyError } from '../core/index.js';

export async function readPolicyFile(file: string): Promise<CompiledPolicyFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'error';
    throw new PolicyError(file, `cannot read it (${code})`, { cause: error });
  }
  const { parsePolicyText } = await loadPolicyParser();
  return parsePolicyText(file, text);
}
