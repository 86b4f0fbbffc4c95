// Registering the webhook, the step that can block a cluster: it goes last, is read
// back to check the API server kept the caBundle, and when that or the apply fails the
// configuration is deleted again, so a failed install never leaves a webhook behind
// that points at a proxy nobody checked.
import type { ClusterClient } from './cluster-client.js';
import { describe, type KubernetesObject, webhookConfigurationName } from './install-manifests.js';
import { InstallerError, type InstallerErrorCode } from './installer-error.js';
import { webhookConfigurationSchema } from './kubernetes-shapes.js';

const webhookApiVersion = 'admissionregistration.k8s.io/v1';
const webhookKind = 'ValidatingWebhookConfiguration';

export async function registerWebhook(
  client: ClusterClient,
  webhook: KubernetesObject,
  forceConflicts: boolean,
  report: (line: string) => void,
): Promise<void> {
  let left: readonly string[];
  try {
    left = await client.apply(webhook, { forceConflicts });
    await confirmRegistered(client, webhook);
  } catch (error) {
    throw await withdrawWebhook(client, error);
  }
  report(`applied ${describe(webhook)}: the webhook is live`);
  if (left.length > 0) report(`  without fields this cluster does not have: ${left.join(', ')}`);
}

/** The configuration as stored carries, on every webhook, the caBundle that was sent. */
async function confirmRegistered(client: ClusterClient, sent: KubernetesObject): Promise<void> {
  const expected = webhookConfigurationSchema.parse(sent).webhooks.map((entry) => entry.clientConfig.caBundle);
  const stored = webhookConfigurationSchema.safeParse(
    await client.read(webhookApiVersion, webhookKind, sent.metadata.name),
  );
  const bundles = stored.success ? stored.data.webhooks.map((entry) => entry.clientConfig.caBundle) : [];
  if (bundles.length !== expected.length || bundles.some((bundle, index) => bundle !== expected[index])) {
    throw new InstallerError(
      'NOT_REGISTERED',
      `the API server did not keep the webhook configuration as sent (its caBundle differs: another controller or admission plugin may rewrite it)`,
    );
  }
}

/** Deletes the configuration again; the error to throw says whether that worked. */
async function withdrawWebhook(client: ClusterClient, error: unknown): Promise<InstallerError> {
  const code: InstallerErrorCode = error instanceof InstallerError ? error.code : 'NOT_REGISTERED';
  const reason = error instanceof Error ? error.message : 'unknown error';
  const name = webhookConfigurationName;
  try {
    const removed = await client.remove(webhookApiVersion, webhookKind, name);
    const outcome = removed
      ? `the ${webhookKind} ${name} was deleted again`
      : `no ${webhookKind} ${name} was left behind`;
    return new InstallerError(code, `${reason}; ${outcome}, so nothing is blocked`, { cause: error });
  } catch {
    // The cleanup's own failure matters less than saying what to do about it.
    return new InstallerError(
      code,
      `${reason}; deleting the ${webhookKind} ${name} again failed too, so it may block requests: run kubectl delete validatingwebhookconfiguration ${name} (or npm run cluster:uninstall)`,
      { cause: error },
    );
  }
}
