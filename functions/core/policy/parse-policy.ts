// Parses, validates and compiles the text of a policy file. Loaded through the kernel
// entry's loadPolicyParser() only when a policy file is read as YAML: the YAML parser
// and the CEL compiler stay out of a default start-up, and the YAML parser out of a
// start-up from a precompiled policy. The YAML is read with limits (size, aliases),
// and every failure is a PolicyError: one line, the file and a code.
import { LineCounter, parseDocument } from 'yaml';
import type { CompiledPolicyFile } from './compile-policy.js';
import { parsePolicyData } from './parse-policy-data.js';
import { maxPolicyAliases, maxPolicyBytes, oversizedPolicy, PolicyError } from './policy-error.js';
import { toPrecompiledPolicy } from './precompiled-policy.js';

export { maxPolicyAliases, maxPolicyBytes } from './policy-error.js';

/** `source` names the file in messages; the text is never quoted. */
export function parsePolicyText(source: string, text: string): CompiledPolicyFile {
  return parsePolicyData(source, readYaml(source, text));
}

/**
 * The precompiled policy (JSON text) for a policy file's text: refused, as start-up
 * would refuse it, unless it reads, validates and compiles.
 */
export function precompilePolicyText(source: string, text: string): string {
  const data = readYaml(source, text);
  parsePolicyData(source, data);
  return toPrecompiledPolicy(source, text, data);
}

/** One YAML document as plain data, within the size and alias limits. */
function readYaml(source: string, text: string): unknown {
  if (Buffer.byteLength(text, 'utf8') > maxPolicyBytes) throw oversizedPolicy(source);
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true });
  const [yamlError] = document.errors;
  if (yamlError) {
    const line = yamlError.linePos?.[0].line ?? '?';
    throw new PolicyError(source, `line ${line}: not valid YAML: ${firstLine(yamlError.message)}`);
  }
  try {
    return document.toJS({ maxAliasCount: maxPolicyAliases });
  } catch (error) {
    // The yaml package throws a ReferenceError when aliases expand past the count.
    if (!(error instanceof ReferenceError)) throw error;
    const message = `its YAML aliases expand past the limit of ${maxPolicyAliases} (an alias bomb?): ${firstLine(error.message)}`;
    throw new PolicyError(source, message, { cause: error, code: 'POLICY_TOO_LARGE' });
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}
