// The proxy's CA and serving certificate for cluster:install, from the certificate
// tool (run as a command) with --reuse: it keeps the pair already in the directory,
// so reruns keep the same CA and caBundle, and makes what is missing. A dry run writes
// nothing: it reads a complete set where there is one, and otherwise runs the tool in
// a temporary directory (seeded with what the directory holds, so the tool decides as
// the install would) that it deletes afterwards.
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { namesNotCovered } from './certificate-names.js';
import { certificateFiles, holdsServingSet, readServingMaterial, runCertsTool } from './certs-tool.js';
import type { TlsMaterial } from './install-manifests.js';
import { InstallerError } from './installer-error.js';

export interface CertificateRequest {
  readonly directory: string;
  readonly service: string;
  readonly namespace: string;
  /** Names besides the Service's own: the host of --webhook-url. */
  readonly names: readonly string[];
  readonly dryRun: boolean;
}

export async function provideServingCertificates(
  request: CertificateRequest,
  report: (line: string) => void,
): Promise<TlsMaterial> {
  const material = request.dryRun ? await provideForDryRun(request, report) : await provideInPlace(request, report);
  const missing = namesNotCovered(material.tlsCert, request.names);
  if (missing.length > 0) {
    const flags = missing.map((name) => `${isIP(name) ? '--ip' : '--dns'} ${name}`);
    throw new InstallerError(
      'CERT_NAME_MISSING',
      `the serving certificate in ${request.directory} does not name ${missing.join(', ')} (the --webhook-url host), so the API server would refuse it; issue one that does under the same CA: npm run certs -- --service ${request.service} --namespace ${request.namespace} --out ${request.directory} --renew ${flags.join(' ')}`,
    );
  }
  return material;
}

async function provideInPlace(request: CertificateRequest, report: (line: string) => void): Promise<TlsMaterial> {
  await runCertsTool({ ...request, mode: 'reuse' }, report);
  return readServingMaterial(request.directory);
}

async function provideForDryRun(request: CertificateRequest, report: (line: string) => void): Promise<TlsMaterial> {
  if (holdsServingSet(request.directory)) {
    report(`dry run: reading the certificates in ${request.directory} (nothing written)`);
    return readServingMaterial(request.directory);
  }
  const scratch = mkdtempSync(join(tmpdir(), 'admission-dry-run-certs-'));
  try {
    for (const name of certificateFiles) {
      const source = join(request.directory, name);
      if (existsSync(source)) copyFileSync(source, join(scratch, name));
    }
    await runCertsTool({ ...request, directory: scratch, mode: 'reuse' }, report);
    report(
      `dry run: ${request.directory} holds no complete set, so the certificates shown were made in a temporary directory, now deleted; the install makes its own`,
    );
    return readServingMaterial(scratch);
  } catch (error) {
    // The tool names the scratch directory; the user knows the one they gave.
    if (error instanceof InstallerError) throw renameDirectory(error, scratch, request.directory);
    throw error;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function renameDirectory(error: InstallerError, from: string, to: string): InstallerError {
  return new InstallerError(error.code, error.message.replaceAll(from, to), { cause: error.cause });
}
