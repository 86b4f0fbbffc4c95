// The connection pool to the function. Keep-alive: a fresh TLS handshake to Azure per
// review costs tens of milliseconds. Idle sockets are dropped after 60 s, before
// Azure's front end drops them. No Nagle: headers and body go out as two writes, and
// waiting for the first ACK would add the peer's delayed-ACK time (40 ms) to every review.
import {
  type ClientRequest,
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
  type RequestOptions,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** Starts a call to the function's URL (http or https, as configured). */
export type SendToFunction = (options: RequestOptions, onAnswer: (answer: IncomingMessage) => void) => ClientRequest;

export function sendToFunction(functionUrl: URL): SendToFunction {
  return functionUrl.protocol === 'https:'
    ? (options, onAnswer) => httpsRequest(functionUrl, options, onAnswer)
    : (options, onAnswer) => httpRequest(functionUrl, options, onAnswer);
}

/** `upstreamCa`: extra CAs for an HTTPS function (tests); production trusts the public roots. */
export function createUpstreamAgent(functionUrl: URL, upstreamCa: string | undefined): HttpAgent {
  const agentOptions = {
    keepAlive: true,
    maxSockets: 256,
    maxFreeSockets: 64,
    timeout: 60_000,
    scheduling: 'lifo' as const,
    noDelay: true,
  };
  return functionUrl.protocol === 'https:'
    ? new HttpsAgent({ ...agentOptions, ...(upstreamCa ? { ca: upstreamCa } : {}) })
    : new HttpAgent(agentOptions);
}
