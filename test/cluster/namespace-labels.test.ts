// Through a real kube-apiserver (v1.20): the proxy watches Namespaces with a service
// account token that only the base's RBAC (deploy/kubernetes/base/rbac.yaml) empowers,
// sends each review's namespace labels to the function, and a policy rule with a
// namespaceSelector decides by them; relabelling a namespace changes the decision
// within seconds (the watch, not a restart).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { repositoryRoot } from '../helpers/clean-copy.js';
import { webhookPointedAt } from '../helpers/cluster-webhook.js';
import { stopClusterWithStack } from '../helpers/cluster-with-stack.js';
import { type ApiServer, deploymentManifest, kubectl, startApiServer } from '../helpers/kube-apiserver.js';
import { type LocalStack, startLocalStack } from '../helpers/local-stack.js';

let server: ApiServer | undefined;
let stack: LocalStack | undefined;
let token = 'no token yet';

// Deployments under 3 replicas are denied only in namespaces labelled tier=prod.
const policy = `apiVersion: admission.serverless.io/v1
kind: AdmissionPolicy
rules:
  - name: prod-replicas
    builtin: minimum-replicas
    minimum: 3
    match: { namespaceSelector: { matchLabels: { tier: prod } } }
`;

async function must(args: string[], input?: string): Promise<string> {
  if (!server) throw new Error('no API server');
  const result = await kubectl(server, args, input);
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

/** The proxy's settings for this API server: its address, its CA and a token of the proxy's service account. */
async function proxyEnvironment(api: ApiServer, work: string): Promise<Record<string, string>> {
  const env = readFileSync(join(api.directory, 'env'), 'utf8');
  const value = (name: string) => new RegExp(`^${name}='([^']*)'$`, 'm').exec(env)?.[1] ?? '';
  const url = new URL(value('KUBE_APISERVER_URL'));
  const base = join(repositoryRoot, 'deploy/kubernetes/base');
  for (const file of ['namespace.yaml', 'serviceaccount.yaml', 'rbac.yaml'])
    await must(['apply', '-f', join(base, file)]);
  token = (await must(['-n', 'admission-system', 'create', 'token', 'admission-proxy', '--duration=1h'])).trim();
  writeFileSync(join(work, 'token'), token);
  writeFileSync(join(work, 'policy.yaml'), policy);
  return {
    NAMESPACE_LABELS: 'watch',
    KUBERNETES_SERVICE_HOST: url.hostname,
    KUBERNETES_SERVICE_PORT: url.port,
    KUBERNETES_TOKEN_FILE: join(work, 'token'),
    KUBERNETES_CA_FILE: value('KUBE_APISERVER_CA'),
    POLICY_FILE: join(work, 'policy.yaml'),
  };
}

beforeAll(async () => {
  server = startApiServer();
  const work = mkdtempSync(join(tmpdir(), 'namespace-labels-'));
  const env = await proxyEnvironment(server, work);
  await must(['create', 'namespace', 'prod-shop']);
  await must(['label', 'namespace', 'prod-shop', 'tier=prod']);
  await must(['create', 'namespace', 'dev-shop']);
  stack = await startLocalStack(env);
  const webhook = webhookPointedAt(`https://127.0.0.1:${stack.proxyPort}/admission`, stack.ca);
  await must(['apply', '-f', '-'], JSON.stringify(webhook));
}, 900_000);

afterAll(() => stopClusterWithStack(server, stack));

let made = 0;
/** Creates a Deployment of 2 replicas in `namespace` (a new name each time); its stderr, empty when admitted. */
async function createTwoReplicas(namespace: string): Promise<string> {
  if (!server) throw new Error('no API server');
  const result = await kubectl(server, ['apply', '-f', '-'], deploymentManifest(namespace, `web-${made++}`, 2));
  return result.code === 0 ? '' : result.stderr;
}

const within = { timeout: 10_000, interval: 250 };

describe('namespace labels through a real API server', () => {
  it('denies in a namespace labelled tier=prod and admits in one without the label', async () => {
    // The watch lists within moments of the proxy starting; until then the rule answers per its failurePolicy.
    await vi.waitFor(async () => expect(await createTwoReplicas('prod-shop')).toContain('has 2 replicas'), within);
    expect(await createTwoReplicas('dev-shop')).toBe('');
  });

  it('follows a relabelling within seconds', async () => {
    await must(['label', 'namespace', 'dev-shop', 'tier=prod']);
    await vi.waitFor(async () => expect(await createTwoReplicas('dev-shop')).toContain('the minimum is 3'), within);
    await must(['label', 'namespace', 'prod-shop', 'tier-']);
    await vi.waitFor(async () => expect(await createTwoReplicas('prod-shop')).toBe(''), within);
  });

  it('says in the proxy output that it watches, and never prints the token', () => {
    const output = stack?.output() ?? '';
    expect(output).toContain('watching namespaces for their labels');
    expect(output).not.toContain(token);
  });
});
