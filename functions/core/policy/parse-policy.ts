// Parses, validates and compiles the text of a policy file. Loaded through the kernel
// entry's loadPolicyParser() only when there is a policy file: the YAML parser and
// the CEL compiler stay out of a default start-up.
import { LineCounter, parseDocument } from 'yaml';
import { describeIssues } from '../describe-issues.js';
import { type CompiledPolicyFile, compilePolicy } from './compile-policy.js';
import { PolicyError } from './policy-error.js';
import { policyFileSchema } from './policy-schema.js';

/** `source` names the file in messages; the text is never quoted. */
export function parsePolicyText(source: string, text: string): CompiledPolicyFile {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true });
  const [yamlError] = document.errors;
  if (yamlError) {
    const line = yamlError.linePos?.[0].line ?? '?';
    throw new PolicyError(source, `line ${line}: not valid YAML: ${yamlError.message.split('\n')[0]}`);
  }
  const parsed = policyFileSchema.safeParse(document.toJS());
  if (!parsed.success) throw new PolicyError(source, describeIssues(parsed.error, ''));
  try {
    return compilePolicy(parsed.data);
  } catch (error) {
    throw new PolicyError(source, error instanceof Error ? error.message : 'does not compile', { cause: error });
  }
}
