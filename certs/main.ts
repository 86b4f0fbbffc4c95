// npm run certs -- --service <name> --namespace <ns> --out <dir>: writes a CA
// (ca.crt, ca.key) and a serving certificate for the proxy (tls.crt, tls.key), and
// prints the caBundle for the webhook configuration.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { certsUsage, parseCertsOptions } from './certs-options.js';
import { createCertificateAuthority, issueServingCertificate, loadCertificateAuthority } from './issue-certificates.js';

async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseCertsOptions(argv);
  if ('error' in parsed) {
    console.error(`certs: ${parsed.error}\n${certsUsage}`);
    return 2;
  }
  const options = parsed.value;
  const file = (name: string) => join(options.out, name);
  const caFiles = [file('ca.crt'), file('ca.key')];
  const servingFiles = [file('tls.crt'), file('tls.key')];
  const guarded = options.force ? [] : options.renew ? [] : [...caFiles, ...servingFiles];
  const existing = guarded.filter((path) => existsSync(path));
  if (existing.length > 0) {
    console.error(
      `certs: ${existing.join(', ')} already exist; use --renew for a new serving certificate under the same CA, or --force to replace everything`,
    );
    return 1;
  }
  if (options.renew && !caFiles.every((path) => existsSync(path))) {
    console.error(`certs: --renew needs the CA in ${options.out} (ca.crt and ca.key)`);
    return 1;
  }

  mkdirSync(options.out, { recursive: true, mode: 0o700 });
  const ca = options.renew
    ? await loadCertificateAuthority(
        readFileSync(caFiles[0] as string, 'utf8'),
        readFileSync(caFiles[1] as string, 'utf8'),
      )
    : await createCertificateAuthority(`${options.service}.${options.namespace} webhook CA`, options.caDays);
  const { service, namespace } = options;
  const names = [
    service,
    `${service}.${namespace}`,
    `${service}.${namespace}.svc`,
    `${service}.${namespace}.svc.cluster.local`,
    ...options.dns,
    ...options.ip,
  ];
  const serving = await issueServingCertificate(ca, {
    commonName: `${service}.${namespace}.svc`,
    names,
    validDays: options.days,
  });

  if (!options.renew) {
    writeFileSync(file('ca.crt'), ca.cert);
    writeFileSync(file('ca.key'), ca.key, { mode: 0o600 });
  }
  writeFileSync(file('tls.crt'), serving.cert);
  writeFileSync(file('tls.key'), serving.key, { mode: 0o600 });

  console.log(`wrote ${options.renew ? '' : 'ca.crt, ca.key, '}tls.crt, tls.key to ${options.out}`);
  console.log(`CA valid until ${ca.certificate.notAfter.toISOString()}`);
  console.log(`serving certificate valid for ${options.days} days, for: ${names.join(', ')}`);
  console.log(`caBundle: ${Buffer.from(ca.cert).toString('base64')}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`certs: failed: ${error instanceof Error ? error.message : 'unknown error'}`);
    process.exit(1);
  },
);
