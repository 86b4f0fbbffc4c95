// The kubeconfig and context the installer talks to: --kubeconfig <file> (else
// KUBECONFIG, else ~/.kube/config, else the in-cluster service account) and
// --context <name> (else the file's current context). Each failure says which input
// is at fault and never echoes the file, which holds credentials.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { InstallerError } from './installer-error.js';

export interface KubeConfigChoice {
  /** --kubeconfig: this file only. */
  readonly kubeconfig?: string | undefined;
  /** --context: this context of the file instead of its current one. */
  readonly context?: string | undefined;
}

export function loadKubeConfig(choice: KubeConfigChoice, env: NodeJS.ProcessEnv = process.env): KubeConfig {
  const config = choice.kubeconfig ? loadFile(choice.kubeconfig) : loadDefault(env);
  if (choice.context !== undefined) {
    if (!config.getContextObject(choice.context)) {
      throw new InstallerError(
        'NO_CONTEXT',
        `the kubeconfig has no context named ${choice.context} (--context); kubectl config get-contexts lists those it has`,
      );
    }
    config.setCurrentContext(choice.context);
    if (!config.getCurrentCluster())
      throw new InstallerError('NO_CONTEXT', `the context ${choice.context} names a cluster the kubeconfig lacks`);
  }
  if (!config.getCurrentCluster())
    throw new InstallerError(
      'NO_KUBECONFIG',
      'the kubeconfig has no current context: run kubectl config use-context <name>, or pass --context <name>',
    );
  return config;
}

function loadFile(file: string): KubeConfig {
  if (!existsSync(file)) throw new InstallerError('NO_KUBECONFIG', `no kubeconfig at ${file} (--kubeconfig)`);
  const config = new KubeConfig();
  try {
    config.loadFromFile(file);
  } catch (error) {
    // The parser's message may quote the file, tokens included: only the path is named.
    throw new InstallerError('NO_KUBECONFIG', `${file} (--kubeconfig) is not a readable kubeconfig`, {
      cause: error,
    });
  }
  return config;
}

function loadDefault(env: NodeJS.ProcessEnv): KubeConfig {
  const inCluster = Boolean(env.KUBERNETES_SERVICE_HOST);
  const configured = env.KUBECONFIG
    ? env.KUBECONFIG.split(':').some((path) => existsSync(path))
    : existsSync(join(homedir(), '.kube', 'config'));
  if (!configured && !inCluster) {
    throw new InstallerError(
      'NO_KUBECONFIG',
      'no kubeconfig: pass --kubeconfig <file>, set KUBECONFIG, or run az aks get-credentials --resource-group <rg> --name <cluster>',
    );
  }
  const config = new KubeConfig();
  config.loadFromDefault();
  return config;
}
