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

export interface KubeApiGetOptions {
  readonly signal: AbortSignal;
  /** No byte for this long: cut (reason "timeout"). */
  readonly idleMs: number;
  /** The whole request, body included, within this: cut (reason "deadline"), however the bytes trickle. */
  readonly deadlineMs: number;
}

/** Sends GET `path`; resolves with the answer's head (any status), rejects when none came. */
export type KubeApiGet = (path: string, options: KubeApiGetOptions) => Promise<IncomingMessage>;

export function createKubeApiGet(api: KubeApiConfig): KubeApiGet {
  return async (path, { signal, idleMs, deadlineMs }) => {
    const [token, ca] = await Promise.all([readCredential(api.tokenFile, 'token'), readCredential(api.caFile, 'CA')]);
    return new Promise((resolve, reject) => {
      let answer: IncomingMessage | undefined;
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
        (head) => {
          answer = head;
          resolve(head);
        },
      );
      // Cut with our own error on the answer once it came, so its reader sees the reason.
      const cut = (error: KubeApiError) => (answer ?? call).destroy(error);
      // No byte for this long (a watch sends bookmarks and ends on its own before): cut.
      call.setTimeout(idleMs, () => cut(new KubeApiError('timeout', 'the Kubernetes API went quiet')));
      const deadline = setTimeout(
        () => cut(new KubeApiError('deadline', 'the Kubernetes API did not finish in time')),
        deadlineMs,
      );
      call.once('close', () => clearTimeout(deadline));
      call.on('error', reject); // every error: a late one has nothing else listening
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
