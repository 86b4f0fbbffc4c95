// cluster:uninstall: the webhook configuration first, so that nothing is blocked while
// the rest goes, then the proxy's cluster-wide read access to Namespaces, then the
// namespace (and with it the proxy and its Secrets).
import type { ClusterClient } from './cluster-client.js';
import { namespaceReaderName, webhookConfigurationName } from './install-manifests.js';

export async function uninstall(
  client: ClusterClient,
  namespace: string,
  report: (line: string) => void,
): Promise<void> {
  const steps: [string, string, string, string | undefined][] = [
    ['admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', webhookConfigurationName, undefined],
    ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', namespaceReaderName, undefined],
    ['rbac.authorization.k8s.io/v1', 'ClusterRole', namespaceReaderName, undefined],
    ['v1', 'Namespace', namespace, undefined],
  ];
  for (const [apiVersion, kind, name] of steps) {
    const removed = await client.remove(apiVersion, kind, name);
    report(removed ? `deleted ${kind} ${name}` : `${kind} ${name} was already gone`);
  }
}
