// The serving certificate and key, loaded from files and reloaded when they change,
// without a restart: the new pair is installed with server.setSecureContext, so
// handshakes in flight finish on the old one and new ones use the new one. A pair
// that does not load (unreadable, half-written, key not matching) is refused and the
// old one kept.
import { readFileSync } from 'node:fs';
import { createSecureContext, DEFAULT_CIPHERS } from 'node:tls';
import { errorCode } from './error-code.js';

/**
 * The protocol settings of every context the proxy serves, at start and on reload:
 * TLS 1.2 with forward secrecy (ECDHE) and AEAD ciphers only (AES-GCM, ChaCha20-
 * Poly1305; no CBC, no SHA-1 MAC), as in Mozilla's "intermediate" profile without DHE,
 * and TLS 1.3 with Node's default suites, which are all AEAD. The API server (Go)
 * offers these first, so no real client is turned away.
 */
export const servedTlsProtocol = {
  minVersion: 'TLSv1.2',
  ciphers: [
    ...DEFAULT_CIPHERS.split(':').filter((suite) => suite.startsWith('TLS_')),
    'ECDHE-ECDSA-AES128-GCM-SHA256',
    'ECDHE-RSA-AES128-GCM-SHA256',
    'ECDHE-ECDSA-AES256-GCM-SHA384',
    'ECDHE-RSA-AES256-GCM-SHA384',
    'ECDHE-ECDSA-CHACHA20-POLY1305',
    'ECDHE-RSA-CHACHA20-POLY1305',
  ].join(':'),
} as const;

export interface TlsPair {
  readonly cert: string;
  readonly key: string;
  /** The CA bundle client certificates must chain to (CLIENT_CA_FILE), when set. */
  readonly clientCa?: string;
}

/** The secure-context options of a pair: the served certificate, and the client CA when there is one. */
export function servedContext(pair: TlsPair) {
  return {
    cert: pair.cert,
    key: pair.key,
    ...(pair.clientCa === undefined ? {} : { ca: pair.clientCa }),
    ...servedTlsProtocol,
  };
}

/** Whether two loads serve the same thing. */
export function samePair(a: TlsPair, b: TlsPair): boolean {
  return a.cert === b.cert && a.key === b.key && a.clientCa === b.clientCa;
}

/** A pair, or why not: the error names the files and the problem, never contents; the cause is kept for chaining. */
export type TlsLoad = { readonly pair: TlsPair } | { readonly error: string; readonly cause: unknown };

export interface TlsFiles {
  readonly tlsCertFile: string;
  readonly tlsKeyFile: string;
  readonly clientCaFile: string | undefined;
}

/** Reads and checks a pair (and the client CA bundle, when configured). */
export function loadTlsPair({ tlsCertFile, tlsKeyFile, clientCaFile }: TlsFiles): TlsLoad {
  let pair: TlsPair;
  const files = [tlsCertFile, tlsKeyFile, ...(clientCaFile === undefined ? [] : [clientCaFile])].join(', ');
  try {
    pair = {
      cert: readFileSync(tlsCertFile, 'utf8'),
      key: readFileSync(tlsKeyFile, 'utf8'),
      ...(clientCaFile === undefined ? {} : { clientCa: readFileSync(clientCaFile, 'utf8') }),
    };
  } catch (cause) {
    return { error: `cannot read ${files} (${errorCode(cause)})`, cause };
  }
  try {
    createSecureContext(servedContext(pair));
  } catch (cause) {
    return { error: `${files} do not load together (${errorCode(cause)})`, cause };
  }
  return { pair };
}
