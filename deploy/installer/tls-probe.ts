// Calls to a proxy outside the cluster (--webhook-url) made as the API server makes
// them: TLS trusting only the given CA bundle, with the host name checked against the
// certificate. Failures come back as a short reason (a Node error code, or the HTTP
// status), never thrown.
import { request } from 'node:https';
import { isIP } from 'node:net';
import { connect } from 'node:tls';
import { hostOf } from './certificate-names.js';

const probeTimeoutMs = 5_000;

export interface Readyz {
  readonly ready: boolean;
  /** "HTTP 200", "ECONNREFUSED", "UNABLE_TO_VERIFY_LEAF_SIGNATURE", ... */
  readonly detail: string;
}

/** GET <origin of webhookUrl>/readyz: the proxy serves it on its TLS port too. */
export function getReadyz(webhookUrl: string, caBundle: string): Promise<Readyz> {
  const url = new URL('/readyz', webhookUrl);
  return new Promise((resolve) => {
    const call = request(url, { ca: caBundle, timeout: probeTimeoutMs, agent: false }, (response) => {
      response.resume();
      resolve({ ready: response.statusCode === 200, detail: `HTTP ${response.statusCode}` });
    });
    call.on('timeout', () => call.destroy(new Error(`no answer within ${probeTimeoutMs / 1000} s`)));
    call.on('error', (error) => resolve({ ready: false, detail: describeFailure(error) }));
    call.end();
  });
}

/** The SHA-256 fingerprint of the certificate the proxy serves, as node:crypto writes it; or why none. */
export function readServedFingerprint(
  webhookUrl: string,
  caBundle: string,
): Promise<{ fingerprint: string } | { error: string }> {
  const url = new URL(webhookUrl);
  const host = hostOf(webhookUrl);
  return new Promise((resolve) => {
    const socket = connect({
      host,
      port: Number(url.port || 443),
      ca: caBundle,
      ...(isIP(host) ? {} : { servername: host }),
      timeout: probeTimeoutMs,
    });
    socket.once('secureConnect', () => {
      resolve({ fingerprint: socket.getPeerCertificate().fingerprint256 });
      socket.end();
    });
    socket.once('timeout', () => socket.destroy(new Error(`no answer within ${probeTimeoutMs / 1000} s`)));
    socket.once('error', (error) => resolve({ error: describeFailure(error) }));
  });
}

function describeFailure(error: Error): string {
  return 'code' in error && typeof error.code === 'string' ? error.code : error.message;
}
