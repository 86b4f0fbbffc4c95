// A GET to the Kubernetes API with the pod's service account: the token and the CA are
// read afresh for every connection, so a rotated projected token (the kubelet renews it
// well before it expires) is used from the next list or watch on. The token goes in the
// Authorization header only: never in a log line, an error or a metric.

import { readFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { request } from 'node:https';
import type { KubeApiConfig } from './kube-api-settings.js';

/** A failure of the watch's own finding; `reason` is a lowercase word for logs and metrics. */
export class KubeApiError extends Error {
  constructor(
    readonly reason: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'KubeApiError';
  }
}

/** Sends GET `path`; resolves with the answer's head (any status), rejects when none came. */
export type KubeApiGet = (path: string, options: { signal: AbortSignal; idleMs: number }) => Promise<IncomingMessage>;

export function createKubeApiGet(api: KubeApiConfig): KubeApiGet {
  return async (path, { signal, idleMs }) => {
    const [token, ca] = await Promise.all([readCredential(api.tokenFile, 'token'), readCredential(api.caFile, 'CA')]);
    return new Promise((resolve, reject) => {
      const call = request(
        {
          host: api.host,
          port: api.port,
          path,
          method: 'GET',
          ca,
          headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
          signal,
          agent: false, // one long watch at a time; nothing to pool
        },
        resolve,
      );
      // No byte for this long (a watch sends bookmarks and ends on its own before): cut.
      call.setTimeout(idleMs, () => call.destroy(new KubeApiError('timeout', 'the Kubernetes API went quiet')));
      call.once('error', reject);
      call.end();
    });
  };
}

async function readCredential(file: string, what: string): Promise<string> {
  try {
    const text = (await readFile(file, 'utf8')).trim();
    if (text !== '') return text;
  } catch (error) {
    throw new KubeApiError('credential_unreadable', `the service account ${what} file cannot be read`, {
      cause: error,
    });
  }
  throw new KubeApiError('credential_unreadable', `the service account ${what} file is empty`);
}
