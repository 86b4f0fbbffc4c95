// A fake Kubernetes API server on 127.0.0.1 for the installer: discovery for the kinds
// it uses, server-side apply (PATCH application/apply-patch+yaml creates or updates),
// GET with 404 for what does not exist, DELETE, and Status bodies for errors. It
// records every request so tests can check order and content. Its kubeconfig has a
// second context, `elsewhere`, naming a server where nothing listens. Group versions
// can be left out of discovery, as an older cluster would (policy/v1 before 1.21).

import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

const resources: Record<string, { name: string; kind: string; namespaced: boolean }[]> = {
  '/api/v1': [
    { name: 'namespaces', kind: 'Namespace', namespaced: false },
    { name: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true },
    { name: 'configmaps', kind: 'ConfigMap', namespaced: true },
    { name: 'secrets', kind: 'Secret', namespaced: true },
    { name: 'services', kind: 'Service', namespaced: true },
  ],
  '/apis/apps/v1': [{ name: 'deployments', kind: 'Deployment', namespaced: true }],
  '/apis/policy/v1': [{ name: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', namespaced: true }],
  '/apis/policy/v1beta1': [{ name: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', namespaced: true }],
  '/apis/networking.k8s.io/v1': [{ name: 'networkpolicies', kind: 'NetworkPolicy', namespaced: true }],
  '/apis/rbac.authorization.k8s.io/v1': [
    { name: 'clusterroles', kind: 'ClusterRole', namespaced: false },
    { name: 'clusterrolebindings', kind: 'ClusterRoleBinding', namespaced: false },
  ],
  '/apis/admissionregistration.k8s.io/v1': [
    { name: 'validatingwebhookconfigurations', kind: 'ValidatingWebhookConfiguration', namespaced: false },
  ],
};

/** What the fake reads of an applied object; the rest is kept as sent. */
const storedObjectSchema = z.looseObject({
  kind: z.string(),
  metadata: z.looseObject({ name: z.string(), generation: z.number().optional(), uid: z.string().optional() }),
  spec: z.looseObject({ replicas: z.number().optional() }).optional(),
});
export type StoredObject = z.infer<typeof storedObjectSchema>;

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly contentType: string | undefined;
  /** The JSON body as sent, if any. */
  readonly body: unknown;
  /** The body when it is a Kubernetes object (an apply patch), else undefined. */
  readonly object: StoredObject | undefined;
}

export interface FakeApiServer {
  readonly url: string;
  readonly kubeconfig: string;
  readonly requests: RecordedRequest[];
  readonly objects: Map<string, StoredObject>;
  /** Answer the next request matching `method` and path suffix with a Status error. */
  failNext(method: string, pathEnd: string, code: number, reason: string, causes?: string[]): void;
  /** How many GETs of the proxy Deployment report it not ready yet. */
  notReadyPolls: number;
  close(): Promise<void>;
}

export interface FakeApiServerOptions {
  /** Group versions the server does not serve (discovery answers 404), such as '/apis/policy/v1'. */
  readonly notServed?: readonly string[];
  /**
   * Field names the server's schemas lack: an apply naming one is refused as an older
   * server-side apply does (HTTP 500, "field not declared in schema"), one field per refusal.
   */
  readonly undeclared?: readonly string[];
}

/** The path of the first field named in `names`, written as structured-merge-diff does (list items by index). */
function findField(value: unknown, names: ReadonlySet<string>, path = ''): string | undefined {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findField(item, names, `${path}[${index}]`);
      if (found) return found;
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (names.has(key)) return `${path}.${key}`;
      const found = findField(item, names, `${path}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

export async function startFakeApiServer(options: FakeApiServerOptions = {}): Promise<FakeApiServer> {
  const notServed = new Set(options.notServed ?? []);
  const undeclared = new Set(options.undeclared ?? []);
  const requests: RecordedRequest[] = [];
  const objects = new Map<string, StoredObject>();
  const failures: { method: string; pathEnd: string; code: number; reason: string; causes: string[] }[] = [];
  const state = { notReadyPolls: 0 };

  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    const text = Buffer.concat(chunks).toString('utf8');
    const body: unknown = text ? JSON.parse(text) : undefined;
    const parsed = storedObjectSchema.safeParse(body);
    const object = parsed.success ? parsed.data : undefined;
    const method = req.method ?? 'GET';
    if (!(url.pathname in resources))
      requests.push({
        method,
        path: url.pathname,
        query: url.searchParams,
        contentType: req.headers['content-type'],
        body,
        object,
      });
    const send = (code: number, value: unknown) =>
      res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    const status = (code: number, reason: string, message: string, causes: string[] = []) =>
      send(code, {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason,
        message,
        code,
        details: { causes: causes.map((m) => ({ message: m })) },
      });

    if (notServed.has(url.pathname)) return status(404, 'NotFound', 'the server could not find the requested resource');
    const discovery = resources[url.pathname];
    if (method === 'GET' && discovery)
      return send(200, {
        kind: 'APIResourceList',
        groupVersion: url.pathname.replace(/^\/apis?\//, ''),
        resources: discovery.map((r) => ({ ...r, singularName: '', verbs: ['get', 'patch', 'delete'] })),
      });

    const failure = failures.findIndex((f) => f.method === method && url.pathname.endsWith(f.pathEnd));
    const [f] = failure >= 0 ? failures.splice(failure, 1) : [];
    if (f) return status(f.code, f.reason, `${f.reason.toLowerCase()}: secret-looking server text`, f.causes);
    const key = url.pathname;
    if (method === 'PATCH') {
      if (req.headers['content-type'] !== 'application/apply-patch+yaml')
        return status(415, 'UnsupportedMediaType', 'expected apply patch');
      if (!object) return status(400, 'BadRequest', 'expected a Kubernetes object');
      const field = findField(object, undeclared);
      if (field) {
        const message = `failed to create typed patch object: errors:\n  ${field}: field not declared in schema`;
        return send(500, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message, code: 500 });
      }
      const previous = objects.get(key);
      const generation = (previous?.metadata.generation ?? 0) + 1;
      const stored = {
        ...object,
        metadata: { ...object.metadata, generation, uid: previous?.metadata.uid ?? `uid-${objects.size}` },
      };
      objects.set(key, stored);
      return send(previous ? 200 : 201, stored);
    }
    if (method === 'GET') {
      const stored = objects.get(key);
      if (!stored) return status(404, 'NotFound', 'not found');
      if (stored.kind === 'Deployment') {
        const replicas = stored.spec?.replicas ?? 1;
        const notReady = state.notReadyPolls > 0;
        if (notReady) state.notReadyPolls -= 1;
        return send(200, {
          ...stored,
          status: { observedGeneration: stored.metadata.generation, replicas, readyReplicas: notReady ? 0 : replicas },
        });
      }
      return send(200, stored);
    }
    if (method === 'DELETE') {
      if (!objects.has(key)) return status(404, 'NotFound', 'not found');
      objects.delete(key);
      if (key.startsWith('/api/v1/namespaces/') && key.split('/').length === 5) {
        for (const other of [...objects.keys()])
          if (other.includes(`/namespaces/${key.split('/')[4]}/`)) objects.delete(other);
      }
      return send(200, { kind: 'Status', status: 'Success' });
    }
    return status(405, 'MethodNotAllowed', 'no');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'kubeconfig-')), 'config');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'current-context: fake',
      'clusters:',
      `- name: fake`,
      `  cluster:`,
      `    server: ${url}`,
      '    insecure-skip-tls-verify: true',
      '- name: nowhere',
      '  cluster:',
      '    server: http://127.0.0.1:9',
      '    insecure-skip-tls-verify: true',
      'users:',
      '- name: tester',
      '  user:',
      '    token: test-token',
      'contexts:',
      '- name: fake',
      '  context:',
      '    cluster: fake',
      '    user: tester',
      '- name: elsewhere',
      '  context:',
      '    cluster: nowhere',
      '    user: tester',
    ].join('\n'),
  );

  return Object.assign(state, {
    url,
    kubeconfig,
    requests,
    objects,
    failNext: (method: string, pathEnd: string, code: number, reason: string, causes: string[] = []) =>
      failures.push({ method, pathEnd, code, reason, causes }),
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
