// The installer's view of a cluster: server-side apply, read, delete, with the usual
// failures turned into messages that say what to do. Built on @kubernetes/client-node
// (loaded here only: it costs about a second to import).
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ApiException, KubeConfig, KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import { fieldManager, type KubernetesObject } from './install-manifests.js';

export class InstallerError extends Error {
  constructor(
    readonly code:
      | 'NO_KUBECONFIG'
      | 'UNREACHABLE'
      | 'FORBIDDEN'
      | 'CONFLICT'
      | 'API_ERROR'
      | 'NOT_READY'
      | 'MISSING_INPUT',
    message: string,
  ) {
    super(message);
    this.name = 'InstallerError';
  }
}

export interface ClusterClient {
  readonly server: string;
  apply(object: KubernetesObject, options: { forceConflicts: boolean }): Promise<KubernetesObject>;
  /** The object, or undefined when it does not exist. */
  read(apiVersion: string, kind: string, name: string, namespace?: string): Promise<KubernetesObject | undefined>;
  /** True when something was deleted, false when it was already gone. */
  remove(apiVersion: string, kind: string, name: string, namespace?: string): Promise<boolean>;
}

export function loadKubeConfig(env: NodeJS.ProcessEnv = process.env): KubeConfig {
  const inCluster = Boolean(env.KUBERNETES_SERVICE_HOST);
  const configured = env.KUBECONFIG
    ? env.KUBECONFIG.split(':').some((path) => existsSync(path))
    : existsSync(join(homedir(), '.kube', 'config'));
  if (!configured && !inCluster) {
    throw new InstallerError(
      'NO_KUBECONFIG',
      'no kubeconfig: set KUBECONFIG or run az aks get-credentials --resource-group <rg> --name <cluster>',
    );
  }
  const config = new KubeConfig();
  config.loadFromDefault();
  if (!config.getCurrentCluster())
    throw new InstallerError(
      'NO_KUBECONFIG',
      'the kubeconfig has no current context: run kubectl config use-context <name>',
    );
  return config;
}

export function createClusterClient(config: KubeConfig): ClusterClient {
  const api = KubernetesObjectApi.makeApiClient(config);
  const server = config.getCurrentCluster()?.server ?? '(unknown server)';
  const call = async <T>(
    verb: string,
    object: { kind: string; name: string; namespace?: string },
    run: () => Promise<T>,
  ): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw explain(error, verb, object, server);
    }
  };
  return {
    server,
    apply: (object, { forceConflicts }) =>
      call('patch', { kind: object.kind, name: object.metadata.name, namespace: object.metadata.namespace }, () =>
        api.patch(object, undefined, undefined, fieldManager, forceConflicts, PatchStrategy.ServerSideApply),
      ),
    read: (apiVersion, kind, name, namespace) =>
      call('get', { kind, name, namespace }, async () => {
        try {
          return await api.read<KubernetesObject>({
            apiVersion,
            kind,
            metadata: { name, ...(namespace ? { namespace } : {}) },
          });
        } catch (error) {
          if (error instanceof ApiException && error.code === 404) return undefined;
          throw error;
        }
      }),
    remove: (apiVersion, kind, name, namespace) =>
      call('delete', { kind, name, namespace }, async () => {
        try {
          await api.delete({ apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } });
          return true;
        } catch (error) {
          if (error instanceof ApiException && error.code === 404) return false;
          throw error;
        }
      }),
  };
}

function explain(
  error: unknown,
  verb: string,
  object: { kind: string; name: string; namespace?: string },
  server: string,
): InstallerError {
  const what = `${object.kind} ${object.namespace ? `${object.namespace}/` : ''}${object.name}`;
  if (error instanceof ApiException) {
    if (error.code === 403) {
      const where = object.namespace ? ` in namespace ${object.namespace}` : ' (cluster-scoped)';
      return new InstallerError(
        'FORBIDDEN',
        `forbidden: your identity may not ${verb} ${object.kind}${where}; ask for that permission (installing needs cluster-admin or equivalent) and retry`,
      );
    }
    if (error.code === 409) {
      const causes = readCauses(error.body);
      return new InstallerError(
        'CONFLICT',
        `conflict applying ${what}: ${causes || 'fields are owned by another field manager'}; rerun with --force-conflicts to take them over`,
      );
    }
    return new InstallerError('API_ERROR', `the API server refused to ${verb} ${what} (HTTP ${error.code})`);
  }
  const code =
    (error as { code?: unknown; cause?: { code?: unknown } })?.code ??
    (error as { cause?: { code?: unknown } })?.cause?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
    return new InstallerError(
      'UNREACHABLE',
      `cannot reach the cluster at ${server} (${code}); check the kubeconfig context and your network`,
    );
  }
  return new InstallerError(
    'UNREACHABLE',
    `cannot ${verb} ${what} at ${server}: ${error instanceof Error ? error.message : 'unknown error'}`,
  );
}

function readCauses(body: unknown): string {
  const parsed = typeof body === 'string' ? safeJson(body) : body;
  const causes = (parsed as { details?: { causes?: { message?: unknown }[] } } | undefined)?.details?.causes ?? [];
  return causes
    .map((cause) => (typeof cause.message === 'string' ? cause.message : ''))
    .filter(Boolean)
    .slice(0, 5)
    .join('; ');
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // a non-JSON error body: no causes to report
  }
}
