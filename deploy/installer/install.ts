// cluster:install: namespace, Secrets, proxy; wait until the proxy is ready; only then
// register the webhook, so the cluster is never pointed at a proxy that cannot answer.
// Idempotent: every step is a server-side apply.
import type { ClusterClient } from './cluster-client.js';
import { describe, functionKeySecretName, type InstallPlan } from './install-manifests.js';
import { InstallerError } from './installer-error.js';
import { type ReadinessProbe, waitUntilReady } from './proxy-readiness.js';
import { registerWebhook } from './register-webhook.js';
import { atServedVersion } from './served-api-version.js';

export interface InstallRun {
  readonly client: ClusterClient;
  readonly plan: InstallPlan;
  readonly namespace: string;
  readonly keepExistingKey: boolean;
  readonly forceConflicts: boolean;
  readonly waitSeconds: number;
  /** The Deployment's status in the cluster, or a GET of the webhook URL of a proxy outside it. */
  readonly readiness: ReadinessProbe;
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
    const left = await client.apply(await atServedVersion(client, object, report), {
      forceConflicts: run.forceConflicts,
    });
    report(`applied ${describe(object)}`);
    if (left.length > 0) report(`  without fields this cluster does not have: ${left.join(', ')}`);
  }
  await waitUntilReady(run.readiness, run.waitSeconds, report, run.sleep);
  await registerWebhook(client, plan.webhook, run.forceConflicts, report);
}
