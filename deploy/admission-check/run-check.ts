// admission-check check: every manifest under the paths, read once, decided in one
// process with one compiled policy. Problems (unreadable files, objects that are not
// Kubernetes objects) are one line each on stderr and the run goes on.

import { type CheckResult, checkManifest } from './check-manifest.js';
import type { CliRequest } from './cli-options.js';
import { formatJson, formatProblem, formatText } from './format-report.js';
import type { InputProblem } from './input-files.js';
import { loadCliPolicy } from './load-cli-policy.js';
import { readManifests } from './read-manifests.js';
import { scopeRules } from './webhook-filter.js';

export interface CommandOutput {
  readonly stdout: string;
  /** One line per problem, without the tool's name. */
  readonly stderr: readonly string[];
  readonly exitCode: number;
}

/** 1 when something was denied; else 3 when something could not be read; else 0. */
export function exitCodeFor(denied: boolean, unreadable: boolean): number {
  return denied ? 1 : unreadable ? 3 : 0;
}

export async function runCheck(request: Extract<CliRequest, { type: 'check' }>): Promise<CommandOutput> {
  const { policy, source } = await loadCliPolicy(request.policyFile, request.minReplicas);
  const scope = scopeRules(request.scope);
  const { manifests, problems } = await readManifests(request.paths);
  const results: CheckResult[] = [];
  const invalid: InputProblem[] = [...problems];
  manifests.forEach((manifest, index) => {
    const checked = checkManifest(manifest, index, policy, scope, request.namespace);
    if ('reason' in checked) invalid.push(checked);
    else results.push(checked);
  });
  const format = request.format === 'json' ? formatJson : formatText;
  return {
    stdout: format(results, invalid, source),
    stderr: invalid.map(formatProblem),
    exitCode: exitCodeFor(
      results.some((result) => result.outcome === 'denied'),
      invalid.length > 0,
    ),
  };
}
