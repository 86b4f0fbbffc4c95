// Every webhook configuration the repository writes registers what the kernel's
// webhookScope says, no more and no less: the kustomize component, the all-workloads
// component's additions, and what the installer applies. (manifests.test.ts checks the
// same of each overlay as kubectl kustomize renders it.)
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { planInstall } from '../../deploy/installer/install-manifests.js';
import type { Manifests } from '../../deploy/installer/read-manifests.js';
import { allWorkloadsScope, webhookScope } from '../../functions/core/index.js';
import { parseYaml } from '../helpers/kustomize.js';

const text = (path: string) => readFileSync(new URL(`../../deploy/kubernetes/${path}`, import.meta.url), 'utf8');
const read = (path: string): unknown => parse(text(path));

/** What the installer's readManifests gives it (it resolves the files from its built location). */
function sourceManifests(): Manifests {
  const { resources } = z.object({ resources: z.array(z.string()) }).parse(read('base/kustomization.yaml'));
  const [webhook] = parseYaml(text('components/webhook/validatingwebhookconfiguration.yaml'));
  if (!webhook) throw new Error('components/webhook holds no object');
  return { base: resources.flatMap((file) => parseYaml(text(`base/${file}`))), webhook };
}

const rule = z.looseObject({ scope: z.string().optional() });
const configuration = z.looseObject({ webhooks: z.array(z.looseObject({ rules: z.array(rule) })) });
const component = z.looseObject({ patches: z.array(z.looseObject({ patch: z.string() })) });
const patchOperation = z.looseObject({ op: z.string(), path: z.string(), value: z.unknown() });

const namespaced = (rules: readonly object[]) => rules.map((entry) => ({ ...entry, scope: 'Namespaced' }));

describe('the webhook registration', () => {
  it('components/webhook registers webhookScope, each rule Namespaced', () => {
    const { webhooks } = configuration.parse(read('components/webhook/validatingwebhookconfiguration.yaml'));
    expect(webhooks.map((webhook) => webhook.rules)).toEqual([namespaced(webhookScope)]);
  });

  it('components/all-workloads adds allWorkloadsScope to the first webhook', () => {
    const { patches } = component.parse(read('components/all-workloads/kustomization.yaml'));
    const added = patches
      .flatMap((patch) => z.array(patchOperation).parse(parse(patch.patch)))
      .filter((operation) => operation.op === 'add' && operation.path === '/webhooks/0/rules/-')
      .map((operation) => operation.value);
    expect(added).toEqual(namespaced(allWorkloadsScope));
  });

  it('the installer applies webhookScope, in the namespace and at the URL it is given', () => {
    const material = { caCert: 'ca', tlsCert: 'cert', tlsKey: 'key', functionKey: 'key' };
    const options = {
      namespace: 'guard',
      functionUrl: 'https://f.example/api/admission',
      failureMode: 'closed',
      clusterName: undefined,
      image: 'admission-proxy:0.1.0',
      webhookUrl: undefined,
    } as const;
    const { webhook } = planInstall(sourceManifests(), options, material);
    const { webhooks } = configuration.parse(webhook);
    expect(webhooks.map((entry) => entry.rules)).toEqual([namespaced(webhookScope)]);
  });

  it('sends ephemeral containers (kubectl debug), which the kernel checks like any container', () => {
    const resources = webhookScope.flatMap((entry) => entry.resources);
    expect(resources).toContain('pods/ephemeralcontainers');
  });
});
