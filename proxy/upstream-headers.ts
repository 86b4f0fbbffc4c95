// The headers the function receives, by allowlist: the body's type and length, the
// function key, the request id and the proxy's own cluster name. Nothing the caller
// sent is passed on: not its credentials (authorization, cookies, a function key),
// not an identity Azure's front end would believe (x-ms-client-principal-name), not a
// cluster name or x-forwarded-* of its choosing, not its hop-by-hop headers (a
// "Connection: close" would defeat keep-alive, a "Transfer-Encoding" would contradict
// our Content-Length).
import type { ClientRequest } from 'node:http';
import { wireHeaders } from '../functions/core/wire.js';

export interface UpstreamHeaderValues {
  readonly key: string;
  readonly requestId: string;
  readonly bodyLength: number;
  /** CLUSTER_NAME, when configured; otherwise the function is sent no cluster name at all. */
  readonly clusterName: string | undefined;
}

/** The headers the proxy itself sets on the call to the function. */
export function toUpstreamHeaders({ key, requestId, bodyLength, clusterName }: UpstreamHeaderValues) {
  const headers: Record<string, string> = {
    // The intake accepted only application/json; JSON is UTF-8, so no parameter is needed.
    'content-type': 'application/json',
    'content-length': String(bodyLength),
    [wireHeaders.functionKey]: key,
    [wireHeaders.requestId]: requestId,
    'accept-encoding': 'identity', // the answer is parsed and checked, so no gzip
  };
  if (clusterName) headers[wireHeaders.clusterName] = clusterName;
  return headers;
}

// What Node needs to speak HTTP to the function, set by the proxy (Host names the
// function app, or Azure's front end refuses the call; Connection keeps it alive).
const transportHeaders = ['host', 'connection'];

/**
 * Removes every header of the outgoing call that is neither in `headers` (the proxy's
 * own, from toUpstreamHeaders) nor one Node needs, then sets the proxy's own.
 */
export function restrictUpstreamHeaders(call: ClientRequest, headers: Readonly<Record<string, string>>): void {
  const allowed = new Set([...Object.keys(headers), ...transportHeaders]);
  for (const name of call.getHeaderNames()) if (!allowed.has(name)) call.removeHeader(name);
  for (const [name, value] of Object.entries(headers)) call.setHeader(name, value);
  call.setHeader('connection', 'keep-alive');
}
