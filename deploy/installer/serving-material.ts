// The CA and serving certificate the installer puts in the cluster: taken from
// --certs-dir when it holds them (so re-running keeps the same CA and caBundle),
// otherwise made there with the same library as npm run certs.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCertificateAuthority, issueServingCertificate } from '../../certs/issue-certificates.js';
import { proxyName } from './install-manifests.js';

export interface ServingMaterial {
  readonly caCert: string;
  readonly tlsCert: string;
  readonly tlsKey: string;
  readonly generated: boolean;
}

export async function loadOrCreateServingMaterial(directory: string, namespace: string): Promise<ServingMaterial> {
  const files = { ca: join(directory, 'ca.crt'), caKey: join(directory, 'ca.key'), cert: join(directory, 'tls.crt'), key: join(directory, 'tls.key') };
  if (existsSync(files.ca) && existsSync(files.cert) && existsSync(files.key)) {
    return { caCert: readFileSync(files.ca, 'utf8'), tlsCert: readFileSync(files.cert, 'utf8'), tlsKey: readFileSync(files.key, 'utf8'), generated: false };
  }
  const ca = await createCertificateAuthority(`${proxyName}.${namespace} webhook CA`, 3650);
  const names = [proxyName, `${proxyName}.${namespace}`, `${proxyName}.${namespace}.svc`, `${proxyName}.${namespace}.svc.cluster.local`];
  const serving = await issueServingCertificate(ca, { commonName: `${proxyName}.${namespace}.svc`, names, validDays: 365 });
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  writeFileSync(files.ca, ca.cert);
  writeFileSync(files.caKey, ca.key, { mode: 0o600 });
  writeFileSync(files.cert, serving.cert);
  writeFileSync(files.key, serving.key, { mode: 0o600 });
  return { caCert: ca.cert, tlsCert: serving.cert, tlsKey: serving.key, generated: true };
}
