// The admission-check report: a table for people, and a stable JSON document for tools
// (field names and order are part of the interface: add, never rename).
import type { CheckResult } from './check-manifest.js';

const labels: Record<CheckResult['decision'], string> = {
  allowed: 'ALLOWED',
  denied: 'DENIED',
  warned: 'WARNED',
  'not-applicable': 'ALLOWED',
  exempt: 'EXEMPT',
};

export interface Summary {
  readonly checked: number;
  readonly allowed: number;
  readonly denied: number;
  readonly warned: number;
}

export function summarize(results: readonly CheckResult[]): Summary {
  const count = (decision: CheckResult['decision']) => results.filter((result) => result.decision === decision).length;
  const denied = count('denied');
  const warned = count('warned');
  return { checked: results.length, allowed: results.length - denied - warned, denied, warned };
}

export function formatText(results: readonly CheckResult[]): string {
  const lines = results.flatMap((result) => {
    const where = `${result.file}:${result.line}`;
    const what = `${result.kind} ${result.namespace ? `${result.namespace}/` : ''}${result.name}`;
    const note =
      result.decision === 'not-applicable'
        ? ' (no policy applies)'
        : result.decision === 'exempt'
          ? ' (exempt by policy)'
          : '';
    const details = [...result.violations, ...result.warnings.map((warning) => `warning: ${warning}`)];
    return [
      `${labels[result.decision].padEnd(8)} ${what}${note}  ${where}`,
      ...details.map((detail) => `         ${detail}`),
    ];
  });
  const summary = summarize(results);
  lines.push(
    `${summary.checked} checked: ${summary.allowed} allowed, ${summary.denied} denied, ${summary.warned} warned`,
  );
  return `${lines.join('\n')}\n`;
}

export function formatJson(results: readonly CheckResult[]): string {
  const objects = results.map((result) => ({
    file: result.file,
    line: result.line,
    kind: result.kind,
    namespace: result.namespace,
    name: result.name,
    allowed: result.decision !== 'denied',
    decision: result.decision,
    message: result.violations.length > 0 ? result.violations.join(' ') : null,
    violations: result.violations,
    warnings: result.warnings,
  }));
  return `${JSON.stringify({ version: 1, results: objects, summary: summarize(results) }, null, 2)}\n`;
}
