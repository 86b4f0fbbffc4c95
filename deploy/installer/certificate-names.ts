// The names a serving certificate must carry: the API server checks subjectAltName
// against the host it calls, the Service's DNS names in the cluster or the host of
// --webhook-url. Pure apart from parsing certificates with node:crypto.
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';

/** The host of a URL as a certificate names it: an IPv6 address without its brackets. */
export function hostOf(url: string): string {
  return new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
}

/** The names among `names` that the certificate does not cover. */
export function namesNotCovered(certPem: string, names: readonly string[]): string[] {
  const certificate = new X509Certificate(certPem);
  return names.filter((name) =>
    isIP(name) ? certificate.checkIP(name) === undefined : certificate.checkHost(name) === undefined,
  );
}

/** The certificate's subjectAltName entries other than the Service's own names (which the tool always adds). */
export function extraNames(certPem: string, service: string, namespace: string): string[] {
  const own = new Set([
    service,
    `${service}.${namespace}`,
    `${service}.${namespace}.svc`,
    `${service}.${namespace}.svc.cluster.local`,
  ]);
  const entries = (new X509Certificate(certPem).subjectAltName ?? '').split(', ');
  return entries
    .map((entry) => /^(?:DNS|IP Address):(.+)$/.exec(entry)?.[1] ?? '')
    .filter((name) => name !== '' && !own.has(name));
}
