// cluster:status: is the webhook registered (with a CA), is the proxy ready, and when
// does its serving certificate expire. Healthy means all three are fine.
import { X509Certificate } from 'node:crypto';
import type { ClusterClient } from './cluster-client.js';
import { proxyName, tlsSecretName, webhookConfigurationName } from './install-manifests.js';

const renewWithinDays = 30;

export async function status(
  client: ClusterClient,
  namespace: string,
  report: (line: string) => void,
  now = new Date(),
): Promise<boolean> {
  let healthy = true;
  const webhook = await client.read(
    'admissionregistration.k8s.io/v1',
    'ValidatingWebhookConfiguration',
    webhookConfigurationName,
  );
  const entry = webhook?.webhooks?.[0];
  if (!entry) {
    healthy = false;
    report(`webhook: not registered (${webhookConfigurationName})`);
  } else {
    const hasCa =
      Boolean(entry.clientConfig?.caBundle) ||
      Boolean(webhook?.metadata.annotations?.['cert-manager.io/inject-ca-from']);
    if (!hasCa) healthy = false;
    report(
      `webhook: registered, failurePolicy ${entry.failurePolicy}, timeout ${entry.timeoutSeconds}s, ${hasCa ? 'CA bundle set' : 'NO CA bundle: the API server cannot verify the proxy'}`,
    );
  }

  const deployment = await client.read('apps/v1', 'Deployment', proxyName, namespace);
  const ready = deployment?.status?.readyReplicas ?? 0;
  const wanted = deployment?.spec?.replicas ?? 0;
  if (!deployment || ready < 1) healthy = false;
  report(deployment ? `proxy: ${ready}/${wanted} replicas ready` : `proxy: not installed in ${namespace}`);

  const secret = await client.read('v1', 'Secret', tlsSecretName, namespace);
  const pem = secret?.data?.['tls.crt'] ? Buffer.from(secret.data['tls.crt'], 'base64').toString('utf8') : undefined;
  if (!pem) {
    healthy = false;
    report(`certificate: no ${namespace}/${tlsSecretName}`);
  } else {
    const expires = new Date(new X509Certificate(pem).validTo);
    const days = Math.floor((expires.getTime() - now.getTime()) / 86_400_000);
    if (days < 0) healthy = false;
    const advice =
      days < 0
        ? 'EXPIRED: renew now (npm run certs -- ... --renew, then cluster:install)'
        : days < renewWithinDays
          ? 'renew soon'
          : 'ok';
    report(`certificate: expires ${expires.toISOString()} (${days} days): ${advice}`);
  }
  return healthy;
}
