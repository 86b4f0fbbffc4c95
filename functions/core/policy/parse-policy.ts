// Parses, validates and compiles the text of a policy file. Loaded through the kernel
// entry's loadPolicyParser() only when there is a policy file: the YAML parser and
// the CEL compiler stay out of a default start-up. The YAML is read with limits (size,
// aliases), and every failure is a PolicyError: one line, the file and a code.
import { LineCounter, parseDocument } from 'yaml';
import { describeIssues } from '../describe-issues.js';
import { type CompiledPolicyFile, compilePolicy } from './compile-policy.js';
import { maxPolicyAliases, maxPolicyBytes, oversizedPolicy, PolicyError } from './policy-error.js';
import { policyFileSchema } from './policy-schema.js';

export { maxPolicyAliases, maxPolicyBytes } from './policy-error.js';

/** `source` names the file in messages; the text is never quoted. */
export function parsePolicyText(source: string, text: string): CompiledPolicyFile {
  const parsed = policyFileSchema.safeParse(readYaml(source, text));
  if (!parsed.success) throw new PolicyError(source, describeIssues(parsed.error, ''));
  try {
    return compilePolicy(parsed.data);
  } catch (error) {
    throw new PolicyError(source, error instanceof Error ? error.message : 'does not compile', { cause: error });
  }
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
