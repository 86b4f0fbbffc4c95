// cluster:install: namespace, Secrets, proxy; wait until the proxy is ready; only then
// register the webhook, so the cluster is never pointed at a proxy that cannot answer.
// Idempotent: every step is a server-side apply.
import type { ClusterClient } from './cluster-client.js';
import { functionKeySecretName, type InstallPlan, proxyName } from './install-manifests.js';
import { InstallerError } from './installer-error.js';
import { deploymentProgressSchema } from './kubernetes-shapes.js';

export interface InstallRun {
  readonly client: ClusterClient;
  readonly plan: InstallPlan;
  readonly namespace: string;
  readonly keepExistingKey: boolean;
  readonly forceConflicts: boolean;
  readonly waitSeconds: number;
  readonly report: (line: string) => void;
  readonly sleep?: (ms: number) => Promise<void>;
}

export async function install(run: InstallRun): Promise<void> {
  const { client, plan, namespace, report } = run;
  if (run.keepExistingKey && !(await client.read('v1', 'Secret', functionKeySecretName, namespace))) {
    throw new InstallerError(
      'MISSING_INPUT',
      `no function key in the cluster yet: pass --function-key-file (secret ${namespace}/${functionKeySecretName})`,
    );
  }
  for (const object of plan.workload) {
    await client.apply(object, { forceConflicts: run.forceConflicts });
    report(`applied ${describe(object)}`);
  }
  report(`waiting up to ${run.waitSeconds}s for the proxy to be ready`);
  await waitForProxy(run);
  await client.apply(plan.webhook, { forceConflicts: run.forceConflicts });
  report(`applied ${describe(plan.webhook)}: the webhook is live`);
}

async function waitForProxy({ client, namespace, waitSeconds, report, sleep = delay }: InstallRun): Promise<void> {
  const deadline = Date.now() + waitSeconds * 1000;
  for (;;) {
    // Absent, or not yet a Deployment the API server has filled in: not ready.
    const parsed = deploymentProgressSchema.safeParse(await client.read('apps/v1', 'Deployment', proxyName, namespace));
    const deployment = parsed.success ? parsed.data : undefined;
    const wanted = deployment?.spec?.replicas ?? 1;
    const ready = deployment?.status?.readyReplicas ?? 0;
    const generation = deployment?.metadata.generation ?? 0;
    const current = (deployment?.status?.observedGeneration ?? 0) >= generation;
    if (current && ready >= wanted) {
      report(`proxy ready: ${ready}/${wanted} replicas`);
      return;
    }
    if (Date.now() >= deadline) {
      throw new InstallerError(
        'NOT_READY',
        `the proxy is not ready after ${waitSeconds}s (${ready}/${wanted} replicas); the webhook was not registered, so nothing is blocked. Look at: kubectl -n ${namespace} get pods,events`,
      );
    }
    await sleep(1000);
  }
}

export function describe(object: { kind: string; metadata: { name: string; namespace?: string } }): string {
  return `${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name}`;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
