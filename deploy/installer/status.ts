// cluster:status: is the webhook registered (with a CA), is the proxy ready, and when
// does its serving certificate expire. Healthy means all three are fine.
import { X509Certificate } from 'node:crypto';
import type { ClusterClient } from './cluster-client.js';
import { proxyName, tlsSecretName, webhookConfigurationName } from './install-manifests.js';
import { dataObjectSchema, deploymentProgressSchema, webhookConfigurationSchema } from './kubernetes-shapes.js';

const renewWithinDays = 30;

type Report = (line: string) => void;

export async function status(
  client: ClusterClient,
  namespace: string,
  report: Report,
  now = new Date(),
): Promise<boolean> {
  // Every check runs and reports, healthy or not.
  const checks = [
    await checkWebhook(client, report),
    await checkProxy(client, namespace, report),
    await checkCertificate(client, namespace, report, now),
  ];
  return checks.every(Boolean);
}

async function checkWebhook(client: ClusterClient, report: Report): Promise<boolean> {
  const found = await client.read(
    'admissionregistration.k8s.io/v1',
    'ValidatingWebhookConfiguration',
    webhookConfigurationName,
  );
  if (found === undefined) {
    report(`webhook: not registered (${webhookConfigurationName})`);
    return false;
  }
  const parsed = webhookConfigurationSchema.safeParse(found);
  const entry = parsed.success ? parsed.data.webhooks[0] : undefined;
  if (!parsed.success || !entry) {
    report(`webhook: ${webhookConfigurationName} is registered but has no webhook this installer can read`);
    return false;
  }
  const injected = parsed.data.metadata.annotations?.['cert-manager.io/inject-ca-from'];
  const hasCa = Boolean(entry.clientConfig.caBundle) || Boolean(injected);
  report(
    `webhook: registered, failurePolicy ${entry.failurePolicy}, timeout ${entry.timeoutSeconds}s, ${hasCa ? 'CA bundle set' : 'NO CA bundle: the API server cannot verify the proxy'}`,
  );
  return hasCa;
}

async function checkProxy(client: ClusterClient, namespace: string, report: Report): Promise<boolean> {
  const parsed = deploymentProgressSchema.safeParse(await client.read('apps/v1', 'Deployment', proxyName, namespace));
  if (!parsed.success) {
    report(`proxy: not installed in ${namespace}`);
    return false;
  }
  const ready = parsed.data.status?.readyReplicas ?? 0;
  const wanted = parsed.data.spec?.replicas ?? 0;
  report(`proxy: ${ready}/${wanted} replicas ready`);
  return ready >= 1;
}

async function checkCertificate(client: ClusterClient, namespace: string, report: Report, now: Date): Promise<boolean> {
  const parsed = dataObjectSchema.safeParse(await client.read('v1', 'Secret', tlsSecretName, namespace));
  const encoded = parsed.success ? parsed.data.data?.['tls.crt'] : undefined;
  const pem = encoded ? Buffer.from(encoded, 'base64').toString('utf8') : undefined;
  if (!pem) {
    report(`certificate: no ${namespace}/${tlsSecretName}`);
    return false;
  }
  const expires = new Date(new X509Certificate(pem).validTo);
  const days = Math.floor((expires.getTime() - now.getTime()) / 86_400_000);
  const advice =
    days < 0
      ? 'EXPIRED: renew now (npm run certs -- ... --renew, then cluster:install)'
      : days < renewWithinDays
        ? 'renew soon'
        : 'ok';
  report(`certificate: expires ${expires.toISOString()} (${days} days): ${advice}`);
  return days >= 0;
}
