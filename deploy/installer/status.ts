// cluster:status: is the webhook registered (with a CA), is the proxy ready (its
// Deployment, or a GET of the URL the webhook is registered with), and how many days
// the CA and the serving certificate have left. Healthy means all of it is fine and
// neither certificate expires within 30 days.
import { describeExpiry, readExpiry, renewWithinDays } from './certificate-expiry.js';
import type { ClusterClient } from './cluster-client.js';
import { proxyName, tlsSecretName, webhookConfigurationName } from './install-manifests.js';
import { dataObjectSchema, webhookConfigurationSchema } from './kubernetes-shapes.js';
import { deploymentReadiness, urlReadiness } from './proxy-readiness.js';

type Report = (line: string) => void;

interface Registration {
  readonly healthy: boolean;
  /** clientConfig.url and caBundle (PEM), when the webhook points at a proxy outside the cluster. */
  readonly outside?: { readonly url: string; readonly caBundle: string };
}

export async function status(client: ClusterClient, namespace: string, report: Report, now = new Date()) {
  // Every check runs and reports, healthy or not.
  const registration = await checkWebhook(client, report);
  const checks = [
    registration.healthy,
    await checkProxy(client, namespace, registration, report),
    await checkCertificates(client, namespace, report, now),
  ];
  return checks.every(Boolean);
}

async function checkWebhook(client: ClusterClient, report: Report): Promise<Registration> {
  const found = await client.read(
    'admissionregistration.k8s.io/v1',
    'ValidatingWebhookConfiguration',
    webhookConfigurationName,
  );
  if (found === undefined) {
    report(`webhook: not registered (${webhookConfigurationName})`);
    return { healthy: false };
  }
  const parsed = webhookConfigurationSchema.safeParse(found);
  const entry = parsed.success ? parsed.data.webhooks[0] : undefined;
  if (!parsed.success || !entry) {
    report(`webhook: ${webhookConfigurationName} is registered but has no webhook this installer can read`);
    return { healthy: false };
  }
  const injected = parsed.data.metadata.annotations?.['cert-manager.io/inject-ca-from'];
  const { caBundle, url } = entry.clientConfig;
  const hasCa = Boolean(caBundle) || Boolean(injected);
  report(
    `webhook: registered${url ? ` at ${url}` : ''}, failurePolicy ${entry.failurePolicy}, timeout ${entry.timeoutSeconds}s, ${hasCa ? 'CA bundle set' : 'NO CA bundle: the API server cannot verify the proxy'}`,
  );
  const outside = url && caBundle ? { url, caBundle: Buffer.from(caBundle, 'base64').toString('utf8') } : undefined;
  return outside ? { healthy: hasCa, outside } : { healthy: hasCa };
}

async function checkProxy(client: ClusterClient, namespace: string, registration: Registration, report: Report) {
  const { outside } = registration;
  const probe = outside ? urlReadiness(outside.url, outside.caBundle) : deploymentReadiness(client, namespace);
  const { ready, detail } = await probe.check();
  report(`proxy: ${ready ? 'ready' : 'not ready'} (${detail})`);
  return ready;
}

async function checkCertificates(client: ClusterClient, namespace: string, report: Report, now: Date) {
  const parsed = dataObjectSchema.safeParse(await client.read('v1', 'Secret', tlsSecretName, namespace));
  const decode = (key: string) => {
    const encoded = parsed.success ? parsed.data.data?.[key] : undefined;
    return encoded ? Buffer.from(encoded, 'base64').toString('utf8') : undefined;
  };
  const certificates = [
    { label: 'CA', pem: decode('ca.crt'), remedy: 'rotate it: npm run cluster:rotate-ca' },
    {
      label: 'certificate',
      pem: decode('tls.crt'),
      remedy: `renew it: npm run certs -- --service ${proxyName} --namespace ${namespace} --out <certs dir> --renew, then cluster:install`,
    },
  ];
  let healthy = true;
  for (const { label, pem, remedy } of certificates) {
    if (!pem) {
      report(`${label}: no ${label === 'CA' ? 'ca.crt' : 'tls.crt'} in ${namespace}/${tlsSecretName}`);
      healthy = false;
      continue;
    }
    const expiry = readExpiry(pem, now);
    report(`${label}: ${describeExpiry(expiry, remedy)}`);
    if (expiry.verdict !== 'ok') {
      report(`warning: the ${label === 'CA' ? 'CA' : 'serving certificate'} expires within ${renewWithinDays} days`);
      healthy = false;
    }
  }
  return healthy;
}
