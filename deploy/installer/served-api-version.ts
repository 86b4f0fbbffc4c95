// Objects the manifests write at an API version an older cluster does not serve yet,
// applied at the older one instead: Kubernetes 1.20 serves PodDisruptionBudget as
// policy/v1beta1 only (policy/v1 came in 1.21), with the same meaning for the fields
// the base sets (minAvailable and a matchLabels selector).
import type { ClusterClient } from './cluster-client.js';
import type { KubernetesObject } from './install-manifests.js';

const olderVersions: Readonly<Record<string, readonly string[]>> = {
  PodDisruptionBudget: ['policy/v1beta1'],
};

/** `object` at a version the cluster serves; as it is when there is no known older one to use. */
export async function atServedVersion(
  client: ClusterClient,
  object: KubernetesObject,
  report: (line: string) => void,
): Promise<KubernetesObject> {
  const older = olderVersions[object.kind];
  if (!older || (await client.serves(object.apiVersion, object.kind))) return object;
  for (const apiVersion of older) {
    if (await client.serves(apiVersion, object.kind)) {
      report(`the cluster does not serve ${object.kind} at ${object.apiVersion}; applying it as ${apiVersion}`);
      return { ...object, apiVersion };
    }
  }
  return object; // the apply then names the failure
}
