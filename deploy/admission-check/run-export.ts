// admission-check export vap: the policy as ValidatingAdmissionPolicies, on standard
// output (multi-document YAML) or one file per rule in --out DIR. The policy is first
// read and compiled by the kernel's parser, so a policy the webhook would refuse is
// refused here with the same POLICY_INVALID line. Rules that cannot be exported are
// named on stderr (NOT_EXPORTABLE) and the rest written: exit 3, as for unreadable
// inputs; 0 when every rule was exported.
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { maxPolicyBytes, type PolicyFile, policyFileSchema } from '../../functions/core/index.js';
import { CliError } from './cli-error.js';
import type { CliRequest } from './cli-options.js';
import { describeDifferences, type ExportedRule, exportVap } from './export-vap.js';
import { readInputFile } from './input-files.js';
import { loadPolicyFile, workingDirectoryPolicy } from './load-cli-policy.js';
import type { CommandOutput } from './run-check.js';

export async function runExport(request: Extract<CliRequest, { type: 'export' }>): Promise<CommandOutput> {
  const { policy: whole, source } = await readExportPolicy(request.policyFile, request.minReplicas);
  const unknown = request.rules.filter((name) => !whole.rules.some((rule) => rule.name === name));
  if (unknown.length > 0) throw new CliError('USAGE', `--rule names no rule of ${source}: ${unknown.join(', ')}`);
  const chosen = whole.rules.filter((rule) => request.rules.length === 0 || request.rules.includes(rule.name));
  const policy = { ...whole, rules: chosen };
  const { exported, notExported } = exportVap(policy);
  const stderr = [
    ...notExported.map(({ rule, reason }) => `NOT_EXPORTABLE: rule ${rule}: ${reason}`),
    ...describeDifferences(policy, exported).map((note) => `note: ${note}`),
  ];
  const exitCode = notExported.length > 0 ? 3 : 0;
  const header = `# ValidatingAdmissionPolicies exported by admission-check from ${source}\n`;
  if (request.out === '-')
    return { stdout: header + toYaml(exported.flatMap((item) => item.documents)), stderr, exitCode };
  writeRuleFiles(request.out, header, exported);
  const count = `${exported.length} ${exported.length === 1 ? 'rule' : 'rules'}`;
  return { stdout: `wrote ${count} to ${request.out} (policy: ${source})\n`, stderr, exitCode };
}

async function readExportPolicy(named: string | undefined, minReplicas: number) {
  const file = named ?? (existsSync(workingDirectoryPolicy) ? workingDirectoryPolicy : undefined);
  if (file === undefined)
    return { policy: builtInExportPolicy(minReplicas), source: `built-in (MIN_REPLICAS=${minReplicas})` };
  await loadPolicyFile(file); // refuses, as the webhook would, what it would not load
  const input = readInputFile(file, maxPolicyBytes);
  if ('reason' in input) throw new CliError('POLICY_INVALID', `${file}: cannot read it: ${input.reason}`);
  // The kernel's schema, as the parser above read it: the rules as written, with the defaults it gives them.
  const policy = policyFileSchema.parse(parse(input.text, { maxAliasCount: 50 }));
  return { policy, source: file };
}

/** Without a policy file: the built-in rule, Deployments with at least MIN_REPLICAS. */
function builtInExportPolicy(minReplicas: number): PolicyFile {
  return policyFileSchema.parse({
    apiVersion: 'admission.serverless.io/v1',
    kind: 'AdmissionPolicy',
    rules: [
      { name: 'minimum-replicas', builtin: 'minimum-replicas', minimum: minReplicas, match: { kinds: ['Deployment'] } },
    ],
  });
}

/** Multi-document YAML, keys in the order they were built (stable from run to run). */
export function toYaml(documents: readonly unknown[]): string {
  return documents
    .map((document) => `---\n${stringify(document, { lineWidth: 0, aliasDuplicateObjects: false })}`)
    .join('');
}

function writeRuleFiles(directory: string, header: string, exported: readonly ExportedRule[]): void {
  try {
    // Not recursive: Node's recursive mkdir spins for ever under /proc; the parent must exist.
    if (!existsSync(directory)) mkdirSync(directory);
    else if (!statSync(directory).isDirectory()) throw new Error('not a directory');
    for (const { rule, documents } of exported)
      writeFileSync(join(directory, `${rule}.yaml`), header + toYaml(documents));
  } catch (error) {
    const reason = !(error instanceof Error) ? 'unknown error' : 'code' in error ? String(error.code) : error.message;
    throw new CliError('OUTPUT_UNWRITABLE', `cannot write the files in ${directory}: ${reason}`, { cause: error });
  }
}
