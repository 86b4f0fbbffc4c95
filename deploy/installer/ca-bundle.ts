// A caBundle is PEM certificates one after another; during a CA rotation it holds the
// old CA and the new one, so the API server trusts a serving certificate from either.
import { X509Certificate } from 'node:crypto';

const certificateBlock = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The PEM certificates in `text`, each ending in a newline. */
export function splitBundle(text: string): string[] {
  return (text.match(certificateBlock) ?? []).map((block) => `${block}\n`);
}

/** One bundle of the certificates in `pems` (each may be a bundle itself), each once, in first-seen order. */
export function joinBundle(pems: readonly string[]): string {
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const certificate of pems.flatMap(splitBundle)) {
    const fingerprint = new X509Certificate(certificate).fingerprint256;
    if (seen.has(fingerprint)) continue;
    seen.add(fingerprint);
    kept.push(certificate);
  }
  return kept.join('');
}

export function fingerprintOf(pem: string): string {
  return new X509Certificate(pem).fingerprint256;
}
