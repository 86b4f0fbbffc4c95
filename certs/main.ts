// npm run certs -- --service <name> --namespace <ns> --out <dir>: writes a CA
// (ca.crt, ca.key) and a serving certificate for the proxy (tls.crt, tls.key), and
// prints the caBundle for the webhook configuration. With --reuse it keeps what the
// directory holds: cluster:install and npm start run it so, and read the files.
import { X509Certificate } from 'node:crypto';
import {
  type CertificatePaths,
  certificatePaths,
  choosePlan,
  presentFiles,
  readCertificateFile,
  writeCertificateFiles,
} from './certificate-files.js';
import { type CertsOptions, certsUsage, parseCertsOptions } from './certs-options.js';
import { createCertificateAuthority, issueServingCertificate, loadCertificateAuthority } from './issue-certificates.js';

async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseCertsOptions(argv);
  if ('error' in parsed) {
    console.error(`certs: USAGE: ${parsed.error}\n${certsUsage}`);
    return 2;
  }
  const options = parsed.value;
  const paths = certificatePaths(options.out);
  const chosen = choosePlan(options, presentFiles(paths));
  if ('error' in chosen) {
    console.error(`certs: CERTS_CONFLICT: ${chosen.error}`);
    return 1;
  }
  if (chosen.plan === 'reuse') reportKept(options, paths);
  else await issue(options, paths, servingNames(options), chosen.plan === 'renew');
  console.log(`caBundle: ${Buffer.from(readCertificateFile(paths, 'caCert')).toString('base64')}`);
  return 0;
}

/** The Service's names in the cluster, then the extra ones: all go into subjectAltName. */
function servingNames({ service, namespace, dns, ip }: CertsOptions): string[] {
  const qualified = [
    `${service}.${namespace}`,
    `${service}.${namespace}.svc`,
    `${service}.${namespace}.svc.cluster.local`,
  ];
  return [service, ...qualified, ...dns, ...ip];
}

async function issue(options: CertsOptions, paths: CertificatePaths, names: string[], renew: boolean): Promise<void> {
  const { service, namespace } = options;
  const ca = renew
    ? await loadCertificateAuthority(readCertificateFile(paths, 'caCert'), readCertificateFile(paths, 'caKey'))
    : await createCertificateAuthority(`${service}.${namespace} webhook CA`, options.caDays);
  const serving = await issueServingCertificate(ca, {
    commonName: `${service}.${namespace}.svc`,
    names,
    validDays: options.days,
  });
  writeCertificateFiles(paths, options.out, serving, renew ? undefined : ca);
  console.log(`wrote ${renew ? '' : 'ca.crt, ca.key, '}tls.crt, tls.key to ${options.out}`);
  console.log(`CA valid until ${ca.certificate.notAfter.toISOString()}`);
  console.log(`serving certificate valid for ${options.days} days, for: ${names.join(', ')}`);
}

function reportKept(options: CertsOptions, paths: CertificatePaths): void {
  const serving = new X509Certificate(readCertificateFile(paths, 'tlsCert'));
  console.log(`using certificates in ${options.out}: ca.crt, tls.crt and tls.key kept (--reuse)`);
  console.log(`serving certificate valid until ${new Date(serving.validTo).toISOString()}`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`certs: CERTS_FAILED: ${error instanceof Error ? error.message : 'unknown error'}`);
    process.exit(1);
  },
);
