// The project's webhook configuration (deploy/kubernetes/components/webhook), pointed
// at a proxy outside the cluster: the test API server has no Service routing, so the
// in-cluster Service reference becomes clientConfig.url, as the installer's
// --webhook-url does.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { repositoryRoot } from './clean-copy.js';

export const webhookFile = join(
  repositoryRoot,
  'deploy/kubernetes/components/webhook/validatingwebhookconfiguration.yaml',
);

const webhookConfiguration = z.looseObject({
  metadata: z.looseObject({ name: z.string() }),
  webhooks: z.array(z.looseObject({ clientConfig: z.looseObject({ service: z.unknown().optional() }) })),
});

/**
 * The webhook configuration with `url` instead of the Service, and `caBundle` set to
 * `caPem` (left out when empty: cert-manager's CA injection fills it in).
 */
export function webhookPointedAt(
  url: string,
  caPem: string,
  document: unknown = parse(readFileSync(webhookFile, 'utf8')),
) {
  const configuration = webhookConfiguration.parse(document);
  const caBundle = Buffer.from(caPem).toString('base64');
  return {
    ...configuration,
    webhooks: configuration.webhooks.map(({ clientConfig: { service: _service, ...clientConfig }, ...webhook }) => ({
      ...webhook,
      clientConfig: caPem ? { ...clientConfig, url, caBundle } : { ...clientConfig, url },
    })),
  };
}
