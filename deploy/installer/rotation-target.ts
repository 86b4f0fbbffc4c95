// What a CA rotation starts from, read from the cluster: the webhook configuration (in
// a form fit to apply again, server-set fields left out), the CAs its caBundle trusts
// now, and the serving certificate in the TLS Secret (whose extra names the new one
// keeps).
import { splitBundle } from './ca-bundle.js';
import type { ClusterClient } from './cluster-client.js';
import { tlsSecretName, webhookConfigurationName } from './install-manifests.js';
import { InstallerError } from './installer-error.js';
import { dataObjectSchema, type WebhookConfiguration, webhookConfigurationSchema } from './kubernetes-shapes.js';

export interface RotationTarget {
  readonly webhook: WebhookConfiguration;
  /** PEM certificates the caBundle holds now, from every webhook of the configuration. */
  readonly trusted: readonly string[];
  /** tls.crt of the TLS Secret. */
  readonly servingCert: string;
  /** clientConfig.url, when the webhook points at a proxy outside the cluster. */
  readonly registeredUrl: string | undefined;
}

export async function readRotationTarget(client: ClusterClient, namespace: string): Promise<RotationTarget> {
  const notInstalled = (what: string) =>
    new InstallerError('NOT_INSTALLED', `${what}: nothing to rotate; run npm run cluster:install first`);
  const found = webhookConfigurationSchema.safeParse(
    await client.read('admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', webhookConfigurationName),
  );
  if (!found.success) throw notInstalled(`no ValidatingWebhookConfiguration ${webhookConfigurationName}`);
  const secret = dataObjectSchema.safeParse(await client.read('v1', 'Secret', tlsSecretName, namespace));
  const servingCert = secret.success ? secret.data.data?.['tls.crt'] : undefined;
  if (!servingCert) throw notInstalled(`no tls.crt in the Secret ${namespace}/${tlsSecretName}`);

  const { metadata, webhooks } = found.data;
  const bundles = webhooks.map((entry) => Buffer.from(entry.clientConfig.caBundle ?? '', 'base64').toString('utf8'));
  return {
    webhook: {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: {
        name: metadata.name,
        ...(metadata.labels ? { labels: metadata.labels } : {}),
        ...(metadata.annotations ? { annotations: metadata.annotations } : {}),
      },
      webhooks,
    },
    trusted: bundles.flatMap(splitBundle),
    servingCert: Buffer.from(servingCert, 'base64').toString('utf8'),
    registeredUrl: webhooks.find((entry) => entry.clientConfig.url)?.clientConfig.url,
  };
}

/** The configuration with `bundle` (PEM) as the caBundle of every webhook. */
export function withCaBundle(webhook: WebhookConfiguration, bundle: string): WebhookConfiguration {
  const caBundle = Buffer.from(bundle).toString('base64');
  return {
    ...webhook,
    webhooks: webhook.webhooks.map((entry) => ({ ...entry, clientConfig: { ...entry.clientConfig, caBundle } })),
  };
}
