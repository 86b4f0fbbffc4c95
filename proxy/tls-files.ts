// The serving certificate and key, loaded from files and reloaded when they change,
// without a restart: the new pair is installed with server.setSecureContext, so
// handshakes in flight finish on the old one and new ones use the new one. A pair
// that does not load (unreadable, half-written, key not matching) is refused and the
// old one kept.
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { errorCode } from './error-code.js';

export interface TlsPair {
  readonly cert: string;
  readonly key: string;
}

/** A pair, or why not: the error names the files and the problem, never contents; the cause is kept for chaining. */
export type TlsLoad = { readonly pair: TlsPair } | { readonly error: string; readonly cause: unknown };

/** Reads and checks a pair. */
export function loadTlsPair(certFile: string, keyFile: string): TlsLoad {
  let pair: TlsPair;
  try {
    pair = { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
  } catch (cause) {
    return { error: `cannot read ${certFile} or ${keyFile} (${errorCode(cause)})`, cause };
  }
  try {
    createSecureContext({ cert: pair.cert, key: pair.key, minVersion: 'TLSv1.2' });
  } catch (cause) {
    return { error: `certificate and key do not load together (${errorCode(cause)})`, cause };
  }
  return { pair };
}
