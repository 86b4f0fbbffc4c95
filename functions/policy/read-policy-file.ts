// Reads, validates and compiles a policy file. Imported only when there is one: the
// YAML parser and the CEL compiler stay out of a default start-up.
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { describeIssues } from '../core/describe-issues.js';
import { compilePolicy, type CompiledPolicyFile } from './compile-policy.js';
import { PolicyError } from './policy-error.js';
import { policyFileSchema } from './policy-schema.js';

export function readPolicyFile(file: string): CompiledPolicyFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new PolicyError(file, `cannot read it (${(error as { code?: string }).code ?? 'error'})`);
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true });
  const [yamlError] = document.errors;
  if (yamlError) throw new PolicyError(file, `line ${yamlError.linePos?.[0].line ?? '?'}: not valid YAML: ${yamlError.message.split('\n')[0]}`);
  const parsed = policyFileSchema.safeParse(document.toJS());
  if (!parsed.success) throw new PolicyError(file, describeIssues(parsed.error, ''));
  try {
    return compilePolicy(parsed.data);
  } catch (error) {
    throw new PolicyError(file, (error as Error).message);
  }
}
