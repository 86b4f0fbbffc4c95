// The installer's view of a cluster: server-side apply, read, delete, with the usual
// failures turned into messages that say what to do. Built on @kubernetes/client-node
// (loaded by this file and explain-api-error.ts only, both imported lazily: it costs
// about a second to import).
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ApiException, KubeConfig, KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import { explainApiError } from './explain-api-error.js';
import { fieldManager, type KubernetesObject } from './install-manifests.js';
import { InstallerError } from './installer-error.js';

export interface ClusterClient {
  readonly server: string;
  apply(object: KubernetesObject, options: { forceConflicts: boolean }): Promise<void>;
  /** The object as the API server sent it (to be parsed by the caller), or undefined when it does not exist. */
  read(apiVersion: string, kind: string, name: string, namespace?: string): Promise<unknown>;
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
      throw explainApiError(error, verb, object, server);
    }
  };
  return {
    server,
    apply: (object, { forceConflicts }) =>
      call(
        'patch',
        { kind: object.kind, name: object.metadata.name, namespace: object.metadata.namespace },
        async () => {
          await api.patch(object, undefined, undefined, fieldManager, forceConflicts, PatchStrategy.ServerSideApply);
        },
      ),
    read: (apiVersion, kind, name, namespace) =>
      call('get', { kind, name, namespace }, async (): Promise<unknown> => {
        try {
          return await api.read({ apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } });
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
