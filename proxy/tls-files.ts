// The serving certificate and key, loaded from files and reloaded when they change,
// without a restart: the new pair is installed with server.setSecureContext, so
// handshakes in flight finish on the old one and new ones use the new one. A pair
// that does not load (unreadable, half-written, key not matching) is refused and the
// old one kept.
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';

export interface TlsPair {
  readonly cert: string;
  readonly key: string;
}

export type TlsLoad = { readonly pair: TlsPair } | { readonly error: string };

/** Reads and checks a pair; the error names the file and the problem, never contents. */
export function loadTlsPair(certFile: string, keyFile: string): TlsLoad {
  let pair: TlsPair;
  try {
    pair = { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
  } catch (error) {
    return { error: `cannot read ${certFile} or ${keyFile} (${codeOf(error)})` };
  }
  try {
    createSecureContext({ cert: pair.cert, key: pair.key, minVersion: 'TLSv1.2' });
  } catch (error) {
    return { error: `certificate and key do not load together (${codeOf(error)})` };
  }
  return { pair };
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : 'unknown error';
}
