// Is the proxy ready to answer the API server? In the cluster: the Deployment's ready
// replicas. Outside it (--webhook-url): GET <webhook URL> over TLS with the CA, the
// path the API server will take, answered 405 (POST only) by the proxy. The webhook is registered only once this says yes.
import type { ClusterClient } from './cluster-client.js';
import { proxyName } from './install-manifests.js';
import { InstallerError } from './installer-error.js';
import { deploymentProgressSchema } from './kubernetes-shapes.js';
import { probeWebhook } from './tls-probe.js';

export interface ReadinessProbe {
  /** Where to look when it never gets ready. */
  readonly lookAt: string;
  check(): Promise<{ readonly ready: boolean; readonly detail: string }>;
}

export function deploymentReadiness(client: ClusterClient, namespace: string): ReadinessProbe {
  return {
    lookAt: `kubectl -n ${namespace} get pods,events`,
    async check() {
      // Absent, or not yet a Deployment the API server has filled in: not ready.
      const read = await client.read('apps/v1', 'Deployment', proxyName, namespace);
      if (read === undefined) return { ready: false, detail: `no Deployment ${namespace}/${proxyName}` };
      const parsed = deploymentProgressSchema.safeParse(read);
      const deployment = parsed.success ? parsed.data : undefined;
      const wanted = deployment?.spec?.replicas ?? 1;
      const ready = deployment?.status?.readyReplicas ?? 0;
      const generation = deployment?.metadata.generation ?? 0;
      const current = (deployment?.status?.observedGeneration ?? 0) >= generation;
      return { ready: current && ready >= wanted, detail: `${ready}/${wanted} replicas` };
    },
  };
}

export function urlReadiness(webhookUrl: string, caCert: string): ReadinessProbe {
  return {
    lookAt: `the proxy's log, and curl --cacert <certs dir>/ca.crt ${webhookUrl} (405 when callable)`,
    async check() {
      const answer = await probeWebhook(webhookUrl, caCert);
      return { ready: answer.ready, detail: `${webhookUrl}: ${answer.detail}` };
    },
  };
}

export async function waitUntilReady(
  probe: ReadinessProbe,
  waitSeconds: number,
  report: (line: string) => void,
  sleep: (ms: number) => Promise<void> = delay,
): Promise<void> {
  report(`waiting up to ${waitSeconds}s for the proxy to be ready`);
  const deadline = Date.now() + waitSeconds * 1000;
  for (;;) {
    const { ready, detail } = await probe.check();
    if (ready) return report(`proxy ready: ${detail}`);
    if (Date.now() >= deadline) {
      throw new InstallerError(
        'NOT_READY',
        `the proxy is not ready after ${waitSeconds}s (${detail}); the webhook was not registered, so nothing is blocked. Look at: ${probe.lookAt}`,
      );
    }
    await sleep(1000);
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
