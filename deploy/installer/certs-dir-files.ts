// Writes a new CA and serving pair into the certificates directory in place, each file
// through a temporary name and a rename, so that a reader (a local proxy watching
// tls.crt and tls.key, a later cluster:install) never sees half a file. The pair goes
// first: the proxy refuses a certificate and key that do not match and keeps serving
// the old pair until both are new.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CertificateSet } from './certs-tool.js';

export function replaceCertificateFiles(directory: string, set: CertificateSet): void {
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  const files: readonly [name: string, content: string, mode: number][] = [
    ['tls.key', set.tlsKey, 0o600],
    ['tls.crt', set.tlsCert, 0o644],
    ['ca.key', set.caKey, 0o600],
    ['ca.crt', set.caCert, 0o644],
  ];
  for (const [name, content, mode] of files) {
    const temporary = join(directory, `.${name}.${process.pid}.tmp`);
    writeFileSync(temporary, content, { mode });
    renameSync(temporary, join(directory, name));
  }
}
