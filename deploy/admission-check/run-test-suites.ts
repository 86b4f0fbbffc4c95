// admission-check test: finds the test files under the paths, runs every case of every
// file in this one process (each policy compiled once), prints the table, JSON or JUnit
// XML. Exit 0 only when every case is as expected; 2 when a test file (or the policy it
// names) is invalid; else 1.
import { resolve } from 'node:path';
import { type Policy, PolicyError } from '../../functions/core/index.js';
import type { CliRequest } from './cli-options.js';
import { formatProblem } from './format-report.js';
import { formatTestJson, formatTestJunit, formatTestText, type SuiteFailure } from './format-test-report.js';
import { listInputFiles } from './input-files.js';
import { builtInPolicy, loadPolicyFile } from './load-cli-policy.js';
import { loadTestSuite, SuiteError } from './load-test-suite.js';
import type { CommandOutput } from './run-check.js';
import { type CaseRow, runTestSuite } from './run-test-suite.js';
import { scopeRules } from './webhook-filter.js';

/** admission-test.yaml, or any name ending .admission-test.yaml (or .yml). */
export const testFilePattern = /(^|[/\\])([^/\\]+\.)?admission-test\.ya?ml$/;

export async function runTestSuites(request: Extract<CliRequest, { type: 'test' }>): Promise<CommandOutput> {
  const { files, problems } = listInputFiles(request.paths, testFilePattern);
  const policies = new Map<string, Promise<Policy>>();
  const policyFor = (file: string | undefined) => {
    if (file === undefined) return Promise.resolve(builtInPolicy(request.minReplicas).policy);
    const key = resolve(file);
    const cached = policies.get(key) ?? loadPolicyFile(file);
    policies.set(key, cached);
    return cached;
  };
  const rows: CaseRow[] = [];
  const broken: SuiteFailure[] = problems.map((problem) => ({ suite: problem.file, message: formatProblem(problem) }));
  for (const file of files) {
    try {
      const loaded = loadTestSuite(file);
      const policy = await policyFor(loaded.policyFile);
      rows.push(...runTestSuite(loaded, policy, scopeRules(loaded.suite.scope ?? request.scope)));
    } catch (error) {
      if (!(error instanceof SuiteError || error instanceof PolicyError)) throw error;
      broken.push({ suite: file, message: `${error.code}: ${error.message}` });
    }
  }
  if (files.length === 0 && broken.length === 0) {
    broken.push({
      suite: request.paths.join(' '),
      message: 'TEST_INVALID: no test files (admission-test.yaml, *.admission-test.yaml) found',
    });
  }
  const format =
    request.format === 'json' ? formatTestJson : request.format === 'junit' ? formatTestJunit : formatTestText;
  return {
    stdout: format(rows, broken),
    stderr: broken.map((failure) => failure.message),
    exitCode: broken.length > 0 ? 2 : rows.some((row) => !row.passed) ? 1 : 0,
  };
}
