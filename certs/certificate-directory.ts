// A directory holding a CA and a serving certificate (ca.crt, ca.key, tls.crt,
// tls.key): read when it has them, so that reruns keep the same CA (and caBundle),
// otherwise made there. Used by cluster:install and npm start.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCertificateAuthority, issueServingCertificate } from './issue-certificates.js';

export interface ServingMaterial {
  readonly caCert: string;
  readonly tlsCert: string;
  readonly tlsKey: string;
  readonly generated: boolean;
}

export interface CertificateRequest {
  readonly caName: string;
  readonly commonName: string;
  /** DNS names and IP addresses for subjectAltName. */
  readonly names: readonly string[];
  readonly validDays: number;
}

export async function loadOrCreateCertificates(
  directory: string,
  request: CertificateRequest,
): Promise<ServingMaterial> {
  const files = {
    ca: join(directory, 'ca.crt'),
    caKey: join(directory, 'ca.key'),
    cert: join(directory, 'tls.crt'),
    key: join(directory, 'tls.key'),
  };
  if (existsSync(files.ca) && existsSync(files.cert) && existsSync(files.key)) {
    return {
      caCert: readFileSync(files.ca, 'utf8'),
      tlsCert: readFileSync(files.cert, 'utf8'),
      tlsKey: readFileSync(files.key, 'utf8'),
      generated: false,
    };
  }
  const ca = await createCertificateAuthority(request.caName, Math.max(3650, request.validDays + 1));
  const serving = await issueServingCertificate(ca, {
    commonName: request.commonName,
    names: request.names,
    validDays: request.validDays,
  });
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  writeFileSync(files.ca, ca.cert);
  writeFileSync(files.caKey, ca.key, { mode: 0o600 });
  writeFileSync(files.cert, serving.cert);
  writeFileSync(files.key, serving.key, { mode: 0o600 });
  return { caCert: ca.cert, tlsCert: serving.cert, tlsKey: serving.key, generated: true };
}
