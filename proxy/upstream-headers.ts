// The headers the function receives, by allowlist: the body's type and length, the
// function key, the request id, the proxy's own cluster name and the namespace's
// labels from the proxy's own watch (a caller's x-namespace-labels is dropped with the
// rest: the function trusts this header because only the proxy holds the key). Nothing the caller
// sent is passed on: not its credentials (authorization, cookies, a function key),
// not an identity Azure's front end would believe (x-ms-client-principal-name), not a
// cluster name or x-forwarded-* of its choosing, not its hop-by-hop headers (a
// "Connection: close" would defeat keep-alive, a "Transfer-Encoding" would contradict
// our Content-Length).
import { wireHeaders } from '../functions/core/wire.js';

export interface UpstreamHeaderValues {
  readonly key: string;
  readonly requestId: string;
  readonly bodyLength: number;
  /** CLUSTER_NAME, when configured; otherwise the function is sent no cluster name at all. */
  readonly clusterName: string | undefined;
  /** From the namespace watch, when it knows the review's namespace; otherwise none is sent. */
  readonly namespaceLabels?: string | undefined;
}

/** The headers the proxy itself sets on the call to the function. */
export function toUpstreamHeaders({ key, requestId, bodyLength, clusterName, namespaceLabels }: UpstreamHeaderValues) {
  const headers: Record<string, string> = {
    // The intake accepted only application/json; JSON is UTF-8, so no parameter is needed.
    'content-type': 'application/json',
    'content-length': String(bodyLength),
    [wireHeaders.functionKey]: key,
    [wireHeaders.requestId]: requestId,
    'accept-encoding': 'identity', // the answer is parsed and checked, so no gzip
  };
  if (clusterName) headers[wireHeaders.clusterName] = clusterName;
  if (namespaceLabels !== undefined) headers[wireHeaders.namespaceLabels] = namespaceLabels;
  return headers;
}
