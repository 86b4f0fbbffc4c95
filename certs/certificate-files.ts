// The four files of a certificate directory (ca.crt, ca.key, tls.crt, tls.key), and
// what to do with a directory given the flags: make everything, issue a new serving
// certificate under the CA there, or keep what is there. Other tools (cluster:install,
// npm start) run this tool with --reuse and read these files; the names are the
// contract.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CertsOptions } from './certs-options.js';
import type { IssuedPair } from './issue-certificates.js';

export const certificateFileNames = {
  caCert: 'ca.crt',
  caKey: 'ca.key',
  tlsCert: 'tls.crt',
  tlsKey: 'tls.key',
} as const;

export type CertificateFile = keyof typeof certificateFileNames;
export type CertificatePaths = Readonly<Record<CertificateFile, string>>;
const allFiles = ['caCert', 'caKey', 'tlsCert', 'tlsKey'] as const satisfies readonly CertificateFile[];

/** create: a new CA and serving certificate; renew: a new serving certificate under the CA there; reuse: nothing. */
export type CertificatePlan = 'create' | 'renew' | 'reuse';

export function certificatePaths(directory: string): CertificatePaths {
  return {
    caCert: join(directory, certificateFileNames.caCert),
    caKey: join(directory, certificateFileNames.caKey),
    tlsCert: join(directory, certificateFileNames.tlsCert),
    tlsKey: join(directory, certificateFileNames.tlsKey),
  };
}

export function presentFiles(paths: CertificatePaths): ReadonlySet<CertificateFile> {
  return new Set(allFiles.filter((file) => existsSync(paths[file])));
}

type PlanFlags = Pick<CertsOptions, 'out' | 'force' | 'renew' | 'reuse'>;

/** What the flags ask of a directory holding `present`; an error when they cannot be honoured. */
export function choosePlan(
  flags: PlanFlags,
  present: ReadonlySet<CertificateFile>,
): { plan: CertificatePlan } | { error: string } {
  const has = (...files: CertificateFile[]) => files.every((file) => present.has(file));
  const names = (files: Iterable<CertificateFile>) => [...files].map((file) => certificateFileNames[file]).join(', ');
  if (flags.force) return { plan: 'create' };
  if (flags.renew) {
    return has('caCert', 'caKey')
      ? { plan: 'renew' }
      : { error: `--renew needs the CA in ${flags.out} (ca.crt and ca.key)` };
  }
  if (flags.reuse) {
    if (has('caCert', 'tlsCert', 'tlsKey')) return { plan: 'reuse' };
    if (has('caCert', 'caKey')) return { plan: 'renew' };
    if (present.size === 0) return { plan: 'create' };
    const missing = allFiles.filter((file) => !present.has(file));
    return {
      error: `${flags.out} holds ${names(present)} but not ${names(missing)}, so neither the CA nor the serving certificate can be kept; remove the directory, or use --force to replace everything`,
    };
  }
  if (present.size > 0) {
    return {
      error: `${[...present].map((file) => join(flags.out, certificateFileNames[file])).join(', ')} already exist; use --reuse to keep them, --renew for a new serving certificate under the same CA, or --force to replace everything`,
    };
  }
  return { plan: 'create' };
}

export function readCertificateFile(paths: CertificatePaths, file: CertificateFile): string {
  return readFileSync(paths[file], 'utf8');
}

/** Writes the serving pair, and the CA when given; keys readable by the owner only. */
export function writeCertificateFiles(
  paths: CertificatePaths,
  directory: string,
  serving: IssuedPair,
  ca?: IssuedPair,
): void {
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  if (ca) {
    writeFileSync(paths.caCert, ca.cert);
    writeFileSync(paths.caKey, ca.key, { mode: 0o600 });
  }
  writeFileSync(paths.tlsCert, serving.cert);
  writeFileSync(paths.tlsKey, serving.key, { mode: 0o600 });
}
