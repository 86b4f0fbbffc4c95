// The admission-check report: a table for people, and a stable JSON document for tools
// (field names and order are part of the interface: add, never rename). The summary
// counts what the table shows: every object once, by its decision, and every warning.
import type { CheckResult } from './check-manifest.js';
import type { Outcome } from './evaluate-request.js';
import type { InputProblem } from './input-files.js';

const labels: Record<Outcome, string> = {
  allowed: 'ALLOWED',
  denied: 'DENIED',
  warned: 'WARNED',
  'not-applicable': 'ALLOWED',
  exempt: 'EXEMPT',
  'not-sent': 'SKIPPED',
  approved: 'ALLOWED', // only the function claims approvals; a manifest check never does
};

export interface Summary {
  readonly checked: number;
  readonly allowed: number;
  readonly denied: number;
  readonly warned: number;
  readonly exempt: number;
  readonly notSent: number;
  /** Warnings printed, over all objects (a denied object may carry some too). */
  readonly warnings: number;
  readonly unreadable: number;
}

export function summarize(results: readonly CheckResult[], problems: readonly InputProblem[]): Summary {
  const count = (...outcomes: Outcome[]) => results.filter((result) => outcomes.includes(result.outcome)).length;
  return {
    checked: results.length,
    allowed: count('allowed', 'not-applicable'),
    denied: count('denied'),
    warned: count('warned'),
    exempt: count('exempt'),
    notSent: count('not-sent'),
    warnings: results.reduce((sum, result) => sum + result.warnings.length, 0),
    unreadable: problems.length,
  };
}

/** The subject as kubectl names it: namespace/name, or the name alone for cluster-scoped objects. */
export function describeObject(result: Pick<CheckResult, 'kind' | 'namespace' | 'name'>): string {
  return `${result.kind} ${result.namespace ? `${result.namespace}/` : ''}${result.name}`;
}

function describeResult(result: CheckResult): string[] {
  const note =
    result.outcome === 'not-applicable'
      ? ' (no rule applies)'
      : result.outcome === 'exempt'
        ? ' (exempt by policy)'
        : result.outcome === 'not-sent'
          ? ` (not sent: ${result.note})`
          : '';
  const details = result.rules.flatMap((rule) =>
    rule.result === 'audit'
      ? [`${rule.rule} (audit): found something; logged only`]
      : rule.messages.map((message) => `${rule.rule} (${rule.result}): ${message}`),
  );
  return [
    `${labels[result.outcome].padEnd(8)} ${describeObject(result)}${note}  ${result.file}:${result.line}`,
    ...details.map((detail) => `         ${detail}`),
  ];
}

export function describeSummary(summary: Summary, policy: string): string {
  const parts = [`${summary.allowed} allowed`, `${summary.denied} denied`, `${summary.warned} warned`];
  if (summary.exempt > 0) parts.push(`${summary.exempt} exempt`);
  if (summary.notSent > 0) parts.push(`${summary.notSent} not sent to the webhook`);
  const unreadable = summary.unreadable > 0 ? `; ${summary.unreadable} unreadable (see stderr)` : '';
  const warnings = `${summary.warnings} warning${summary.warnings === 1 ? '' : 's'}`;
  return `${summary.checked} checked: ${parts.join(', ')}; ${warnings}${unreadable}; policy: ${policy}`;
}

export function formatText(results: readonly CheckResult[], problems: readonly InputProblem[], policy: string): string {
  const lines = results.flatMap(describeResult);
  lines.push(describeSummary(summarize(results, problems), policy));
  return `${lines.join('\n')}\n`;
}

export function formatJson(results: readonly CheckResult[], problems: readonly InputProblem[], policy: string): string {
  const objects = results.map((result) => ({
    file: result.file,
    line: result.line,
    kind: result.kind,
    namespace: result.namespace,
    name: result.name,
    allowed: result.outcome !== 'denied',
    decision: result.outcome,
    message: result.violations.length > 0 ? result.violations.join(' ') : null,
    violations: result.violations,
    warnings: result.warnings,
    note: result.note ?? null,
    rules: result.rules,
  }));
  const document = { version: 1, policy, results: objects, problems, summary: summarize(results, problems) };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** One line per problem, for stderr: the code, where, and why. */
export function formatProblem(problem: InputProblem): string {
  const where = problem.line > 0 ? `${problem.file}:${problem.line}` : problem.file;
  return `${problem.code}: ${where}: ${problem.reason}`;
}
