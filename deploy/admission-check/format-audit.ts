// The audit report: per namespace, each rule that found something with its count and
// the objects; a stable JSON document; or one SMS (at most 160 GSM-7 characters) for
// whoever is on call.
import { describeApprovedAdmission } from './approval-grants.js';
import type { CheckResult } from './check-manifest.js';
import { describeObject, formatProblem, summarize } from './format-report.js';
import type { AuditRun } from './run-audit.js';

interface RuleFindings {
  readonly rule: string;
  readonly action: string;
  readonly result: string;
  readonly objects: { readonly object: string; readonly messages: readonly string[] }[];
}

interface NamespaceReport {
  readonly namespace: string;
  readonly objects: number;
  readonly rules: RuleFindings[];
}

export function groupByNamespace(results: readonly CheckResult[]): NamespaceReport[] {
  const reports = new Map<string, NamespaceReport>();
  for (const result of results) {
    const report = reports.get(result.namespace) ?? { namespace: result.namespace, objects: 0, rules: [] };
    reports.set(result.namespace, { ...report, objects: report.objects + 1 });
    for (const rule of result.rules) {
      const rules = reports.get(result.namespace)?.rules ?? [];
      let findings = rules.find((entry) => entry.rule === rule.rule && entry.result === rule.result);
      if (!findings) {
        findings = { rule: rule.rule, action: rule.action, result: rule.result, objects: [] };
        rules.push(findings);
      }
      findings.objects.push({ object: describeObject(result), messages: rule.messages });
    }
  }
  return [...reports.values()].sort((a, b) => a.namespace.localeCompare(b.namespace));
}

function describeTotals(run: AuditRun): string {
  const summary = summarize(run.results, run.problems);
  const namespaces = new Set(run.results.map((result) => result.namespace)).size;
  const unread = summary.unreadable > 0 ? `; ${summary.unreadable} not read (see stderr)` : '';
  return `${summary.checked} objects in ${namespaces} namespaces: ${summary.allowed} allowed, ${summary.denied} denied, ${summary.warned} warned, ${summary.exempt} exempt, ${summary.notSent} not sent to the webhook${unread}`;
}

export function formatAuditText(run: AuditRun): string {
  const lines = [`audit of ${run.cluster} (${run.server}); policy: ${run.policy}; webhook rules: ${run.scope}`];
  for (const report of groupByNamespace(run.results)) {
    const clean = report.rules.length === 0 ? ': nothing found' : '';
    lines.push(`namespace ${report.namespace || '(cluster)'}: ${report.objects} objects${clean}`);
    for (const findings of report.rules) {
      const count = findings.objects.length;
      lines.push(`  ${findings.rule} (${findings.result}): ${count} object${count === 1 ? '' : 's'}`);
      for (const { object, messages } of findings.objects)
        lines.push(`    ${object}${messages[0] ? `: ${messages[0]}` : ''}`);
    }
  }
  if (run.approvals) {
    lines.push(`admitted by approval (approve by reply): ${run.approvals.length}`);
    for (const admission of run.approvals) lines.push(`  ${describeApprovedAdmission(admission)}`);
  }
  for (const problem of run.problems) lines.push(`not read: ${formatProblem(problem)}`);
  lines.push(describeTotals(run));
  return `${lines.join('\n')}\n`;
}

export function formatAuditJson(run: AuditRun): string {
  const document = {
    version: 1,
    cluster: run.cluster,
    server: run.server,
    policy: run.policy,
    scope: run.scope,
    namespaces: groupByNamespace(run.results),
    problems: run.problems,
    summary: { ...summarize(run.results, run.problems), listRequests: run.requests },
    ...(run.approvals ? { approvals: run.approvals } : {}),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** GSM-7's basic set, less what SMS gateways mangle: anything else becomes '?'. */
const gsm7 = /[^A-Za-z0-9 @$_!"#%&'()*+,\-./:;<=>?\n]/g;
export const smsLimit = 160;

export function formatAuditSms(run: AuditRun): string {
  const summary = summarize(run.results, run.problems);
  const counts = new Map<string, number>();
  for (const result of run.results) {
    for (const rule of result.rules) {
      if (rule.result === 'deny' || rule.result === 'warn') counts.set(rule.rule, (counts.get(rule.rule) ?? 0) + 1);
    }
  }
  const top = [...counts].sort((a, b) => b[1] - a[1]).map(([rule, count]) => `${rule} ${count}`);
  const unread = summary.unreadable > 0 ? `; ${summary.unreadable} unread` : '';
  const head = `audit ${run.cluster}: ${summary.denied} denied, ${summary.warned} warned of ${summary.checked}${unread}`;
  const text = top.length > 0 ? `${head}; ${top.join(', ')}` : head;
  const clean = text.replace(gsm7, '?');
  return `${clean.length > smsLimit ? `${clean.slice(0, smsLimit - 3)}...` : clean}\n`;
}
