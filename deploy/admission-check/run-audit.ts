// admission-check audit: what a live cluster already holds, decided with the webhook's
// policy as the CREATE of each object would be today. Read-only (GET and list only);
// lists page by page; a list the API server refuses is reported and the rest is audited.
// Only the resources the installed webhook is sent are listed, and namespaces it is not
// sent (by name, or labelled admission.serverless.io/skip) are reported as not sent.
import { z } from 'zod';
import type { WebhookRule } from '../../functions/core/index.js';
import { type ApprovedAdmission, selectApprovedAdmissions } from './approval-grants.js';
import { type CheckResult, checkManifest } from './check-manifest.js';
import type { CliRequest } from './cli-options.js';
import { formatAuditJson, formatAuditSms, formatAuditText } from './format-audit.js';
import { formatProblem } from './format-report.js';
import type { InputProblem } from './input-files.js';
import { readInstalledScope } from './installed-scope.js';
import { connect, type KubeConnection } from './kube-connection.js';
import { listObjects, type ResourceToList } from './list-cluster-objects.js';
import { loadCliPolicy } from './load-cli-policy.js';
import { type CommandOutput, exitCodeFor } from './run-check.js';
import { skipLabel } from './webhook-filter.js';

export interface AuditRun {
  readonly cluster: string;
  readonly server: string;
  readonly policy: string;
  /** Where the webhook's rules came from: the installed configuration, or --scope. */
  readonly scope: string;
  readonly results: readonly CheckResult[];
  readonly problems: readonly InputProblem[];
  readonly requests: number;
  /** Objects admitted by approval (approve by reply); absent without APPROVALS_CONNECTION_STRING. */
  readonly approvals?: readonly ApprovedAdmission[];
}

/**
 * The resources the webhook rules name, subresources left out (their objects are their
 * parents'), and wildcards too: a list needs a named group and resource.
 */
export function resourcesToList(rules: readonly WebhookRule[]): ResourceToList[] {
  const named = (word: string) => word !== '*' && !word.includes('/');
  const all = rules.flatMap((rule) => {
    const version = rule.apiVersions.find((entry) => entry !== '*') ?? 'v1';
    return rule.resources
      .filter(named)
      .flatMap((resource) => rule.apiGroups.filter(named).map((group) => ({ group, version, resource })));
  });
  return all.filter(
    (entry, index) =>
      all.findIndex((other) => other.group === entry.group && other.resource === entry.resource) === index,
  );
}

const namespaceSchema = z.looseObject({
  metadata: z.looseObject({ name: z.string(), labels: z.record(z.string(), z.string()).optional() }),
});

async function readOptedOut(connection: KubeConnection, pageSize: number) {
  const listed = await listObjects(
    connection,
    { group: '', version: 'v1', resource: 'namespaces' },
    undefined,
    pageSize,
  );
  const names = listed.objects.flatMap((object) => {
    const namespace = namespaceSchema.safeParse(object);
    return namespace.success && namespace.data.metadata.labels?.[skipLabel] !== undefined
      ? [namespace.data.metadata.name]
      : [];
  });
  return { names: new Set(names), problems: listed.problems, requests: listed.requests };
}

export async function auditCluster(request: Extract<CliRequest, { type: 'audit' }>): Promise<AuditRun> {
  const { policy, source } = await loadCliPolicy(request.policyFile, request.minReplicas);
  const connection = await connect(request);
  const { rules, source: scope } = await readInstalledScope(connection, request.scope);
  const optedOut = await readOptedOut(connection, request.pageSize);
  const problems: InputProblem[] = [...optedOut.problems];
  const results: CheckResult[] = [];
  let requests = optedOut.requests;
  const namespaces = request.namespaces.length > 0 ? request.namespaces : [undefined];
  for (const target of resourcesToList(rules)) {
    for (const namespace of namespaces) {
      const listed = await listObjects(connection, target, namespace, request.pageSize);
      requests += listed.requests;
      problems.push(...listed.problems);
      for (const object of listed.objects) {
        const manifest = { file: connection.cluster, line: 0, object };
        const checked = checkManifest(manifest, results.length, policy, rules, '');
        if ('reason' in checked) problems.push(checked);
        else if (optedOut.names.has(checked.namespace)) results.push(notSent(checked));
        else results.push(checked);
      }
    }
  }
  const { cluster, server } = connection;
  const approvals = await readApprovals(request, problems);
  return { cluster, server, policy: source, scope, results, problems, requests, ...approvals };
}

/** The approvals table's used grants, only when a connection string is set (its SDK loads then). */
async function readApprovals(request: Extract<CliRequest, { type: 'audit' }>, problems: InputProblem[]) {
  if (request.approvalsConnection === undefined) return {};
  const { readApprovedAdmissions } = await import('./read-approval-grants.js');
  const read = await readApprovedAdmissions(request.approvalsConnection);
  problems.push(...read.problems);
  return { approvals: selectApprovedAdmissions(read.admissions, request.namespaces) };
}

function notSent(result: CheckResult): CheckResult {
  const note = `namespace ${result.namespace} opts out (${skipLabel})`;
  return { ...result, outcome: 'not-sent', note, violations: [], warnings: [], rules: [] };
}

export async function runAudit(request: Extract<CliRequest, { type: 'audit' }>): Promise<CommandOutput> {
  const run = await auditCluster(request);
  const format =
    request.format === 'json' ? formatAuditJson : request.format === 'sms' ? formatAuditSms : formatAuditText;
  return {
    stdout: format(run),
    stderr: run.problems.map(formatProblem),
    exitCode: exitCodeFor(
      run.results.some((result) => result.outcome === 'denied'),
      run.problems.length > 0,
    ),
  };
}
