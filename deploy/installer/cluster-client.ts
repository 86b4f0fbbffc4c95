// The installer's view of a cluster: server-side apply, read, delete, with the usual
// failures turned into messages that say what to do. Built on @kubernetes/client-node
// (loaded by this file, load-kube-config.ts and explain-api-error.ts only, all imported
// lazily: it costs about a second to import).
import { ApiException, type KubeConfig, KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import { explainApiError, readStatusMessage } from './explain-api-error.js';
import { fieldManager, type KubernetesObject } from './install-manifests.js';
import { type KubeConfigChoice, loadKubeConfig } from './load-kube-config.js';
import { applyWithoutUndeclared } from './undeclared-fields.js';

export interface ClusterClient {
  readonly server: string;
  /** Server-side apply; resolves with the fields left out because the server does not have them. */
  apply(object: KubernetesObject, options: { forceConflicts: boolean }): Promise<readonly string[]>;
  /** The object as the API server sent it (to be parsed by the caller), or undefined when it does not exist. */
  read(apiVersion: string, kind: string, name: string, namespace?: string): Promise<unknown>;
  /** True when something was deleted, false when it was already gone. */
  remove(apiVersion: string, kind: string, name: string, namespace?: string): Promise<boolean>;
  /** Whether the API server serves `kind` at `apiVersion` (discovery). */
  serves(apiVersion: string, kind: string): Promise<boolean>;
}

/** The client for the cluster that --kubeconfig and --context (or their defaults) name. */
export function connectCluster(choice: KubeConfigChoice): ClusterClient {
  return createClusterClient(loadKubeConfig(choice));
}

/** The object API with its discovery made public: does the server serve a kind at a version? */
class DiscoveringObjectApi extends KubernetesObjectApi {
  static connect(config: KubeConfig): DiscoveringObjectApi {
    // What KubernetesObjectApi.makeApiClient does, for this class.
    const api = config.makeApiClient(DiscoveringObjectApi);
    api.setDefaultNamespace(config);
    return api;
  }

  discover(apiVersion: string, kind: string) {
    return this.resource(apiVersion, kind);
  }
}

export function createClusterClient(config: KubeConfig): ClusterClient {
  const api = DiscoveringObjectApi.connect(config);
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
          const patch = (body: KubernetesObject) =>
            api.patch(body, undefined, undefined, fieldManager, forceConflicts, PatchStrategy.ServerSideApply);
          // An older server refuses fields it does not have, where a create would drop them.
          return applyWithoutUndeclared(object, patch, readStatusMessage);
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
    serves: (apiVersion, kind) =>
      call('discover', { kind, name: apiVersion }, async () => {
        try {
          return (await api.discover(apiVersion, kind)) !== undefined;
        } catch (error) {
          // Discovery of a group version the server does not have answers 404.
          if (error instanceof ApiException && error.code === 404) return false;
          throw error;
        }
      }),
  };
}
