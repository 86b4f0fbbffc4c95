// Calls to a proxy outside the cluster (--webhook-url) made as the API server makes
// them: TLS trusting only the given CA bundle, with the host name checked against the
// certificate. Failures come back as a short reason (a Node error code, or the HTTP
// status), never thrown.
import { request } from 'node:https';
import { isIP } from 'node:net';
import { connect } from 'node:tls';
import { hostOf } from './certificate-names.js';

const probeTimeoutMs = 5_000;

export interface WebhookProbe {
  readonly ready: boolean;
  /** "HTTP 405", "ECONNREFUSED", "UNABLE_TO_VERIFY_LEAF_SIGNATURE", ... */
  readonly detail: string;
}

/**
 * GET <webhookUrl>, as far as the API server would get: TLS verified with the CA bundle
 * and the host name, then the proxy's answer. Its TLS port serves the webhook path only
 * (health and readiness are on its plain port, which is not reachable from here), and
 * answers a GET there with 405 and "Allow: POST": that answer is the proxy, callable.
 */
export function probeWebhook(webhookUrl: string, caBundle: string): Promise<WebhookProbe> {
  return new Promise((resolve) => {
    const call = request(webhookUrl, { ca: caBundle, timeout: probeTimeoutMs, agent: false }, (response) => {
      response.resume();
      const ready = response.statusCode === 405 && response.headers.allow === 'POST';
      resolve({ ready, detail: `HTTP ${response.statusCode}` });
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
