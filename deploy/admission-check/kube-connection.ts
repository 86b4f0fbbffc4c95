// The cluster audit reads: --kubeconfig <file> (else KUBECONFIG, else ~/.kube/config,
// else the in-cluster service account) and --context <name>, through
// @kubernetes/client-node's KubeConfig (every auth method it knows: certificates,
// tokens, exec plugins). Requests are plain GETs that return the API server's JSON as
// sent, so objects are decided exactly as the webhook would see them. Only audit loads
// this file (the client costs about a second to import).
import { existsSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { CliError } from './cli-error.js';

export interface KubeConnection {
  readonly server: string;
  /** The context's cluster name, for the report (a kubeconfig name, never a credential). */
  readonly cluster: string;
  /** GET a path; resolves with the status and the body (JSON text); rejects only when the server cannot be reached. */
  get(path: string): Promise<{ status: number; body: string }>;
}

export interface KubeChoice {
  readonly kubeconfig: string | undefined;
  readonly context: string | undefined;
}

export async function connect(choice: KubeChoice, env: NodeJS.ProcessEnv = process.env): Promise<KubeConnection> {
  const config = new KubeConfig();
  try {
    if (choice.kubeconfig !== undefined) {
      if (!existsSync(choice.kubeconfig))
        throw new CliError('NO_KUBECONFIG', `no kubeconfig at ${choice.kubeconfig} (--kubeconfig)`);
      config.loadFromFile(choice.kubeconfig);
    } else {
      const configured =
        env.KUBECONFIG || existsSync(join(homedir(), '.kube', 'config')) || env.KUBERNETES_SERVICE_HOST;
      if (!configured) throw new CliError('NO_KUBECONFIG', 'no kubeconfig: pass --kubeconfig <file> or set KUBECONFIG');
      config.loadFromDefault();
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    // The parser's message may quote the file, tokens included: only the path is named.
    throw new CliError('NO_KUBECONFIG', 'the kubeconfig is not readable', { cause: error });
  }
  if (choice.context !== undefined) {
    if (!config.getContextObject(choice.context)) {
      throw new CliError('NO_CONTEXT', `the kubeconfig has no context named ${choice.context} (--context)`);
    }
    config.setCurrentContext(choice.context);
  }
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new CliError('NO_KUBECONFIG', 'the kubeconfig has no current context: pass --context <name>');
  // Credentials and TLS settings applied once; one agent (and its connections) for every request.
  const options: RequestOptions = { method: 'GET', headers: { accept: 'application/json' } };
  await config.applyToHTTPSOptions(options);
  return { server: cluster.server, cluster: cluster.name, get: (path) => get(options, cluster.server, path) };
}

function get(options: RequestOptions, server: string, path: string): Promise<{ status: number; body: string }> {
  const url = new URL(path.replace(/^\//, ''), server.endsWith('/') ? server : `${server}/`);
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const request = send(url, options, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      response.on('error', reject);
    });
    request.setTimeout(30_000, () => request.destroy(new Error('timed out after 30 s')));
    request.on('error', reject);
    request.end();
  });
}
