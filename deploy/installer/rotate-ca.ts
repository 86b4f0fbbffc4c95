// cluster:rotate-ca: a new CA without a failed call. The API server must trust every
// serving certificate the proxy may present at every moment, so:
//   1. a new CA (and a pair under it) is made; the caBundle becomes old CA + new CA;
//   2. the new pair goes into the certificates directory and the TLS Secret;
//   3. wait until the proxy serves it (checked over TLS with --webhook-url; in the
//      cluster, a grace period: the kubelet refreshes mounted Secrets within a minute);
//   4. the caBundle becomes the new CA alone.
// A failure at any point leaves a caBundle that trusts whichever pair is served.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprintOf, joinBundle } from './ca-bundle.js';
import { extraNames, hostOf } from './certificate-names.js';
import { replaceCertificateFiles } from './certs-dir-files.js';
import { type CertificateSet, readCertificateSet, runCertsTool } from './certs-tool.js';
import type { ClusterClient } from './cluster-client.js';
import { describe, proxyName, tlsSecret } from './install-manifests.js';
import { InstallerError } from './installer-error.js';
import type { WebhookConfiguration } from './kubernetes-shapes.js';
import { delay } from './proxy-readiness.js';
import { type RotationTarget, readRotationTarget, withCaBundle } from './rotation-target.js';
import { readServedFingerprint } from './tls-probe.js';

export interface RotationRun {
  readonly client: ClusterClient;
  readonly namespace: string;
  readonly certsDir: string;
  /** Where the proxy answers, when outside the cluster; else the registered clientConfig.url, if any. */
  readonly webhookUrl?: string | undefined;
  readonly waitSeconds: number;
  readonly graceSeconds: number;
  readonly settleSeconds: number;
  readonly report: (line: string) => void;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Where a failure leaves the cluster, said in the error. */
const leftAs = {
  unchanged: 'the proxy still serves the old pair, which the caBundle trusts',
  bothTrusted: 'the caBundle trusts both the old and the new CA, so whichever pair the proxy serves is verified',
};

export async function rotateCa(run: RotationRun): Promise<void> {
  const { report } = run;
  const target = await readRotationTarget(run.client, run.namespace);
  const webhookUrl = run.webhookUrl ?? target.registeredUrl;
  const staging = mkdtempSync(join(tmpdir(), 'admission-rotate-ca-'));
  let state = leftAs.unchanged;
  try {
    const fresh = await makeAuthority(run, target, webhookUrl, staging);
    const localCa = join(run.certsDir, 'ca.crt');
    const old = [...target.trusted, ...(existsSync(localCa) ? [readFileSync(localCa, 'utf8')] : [])];
    const both = joinBundle([...old, fresh.caCert]);
    await setBundle(run, target.webhook, both, 'step 1/4: caBundle = old CA + new CA');
    state = leftAs.bothTrusted;
    if (run.settleSeconds > 0) {
      // Each API server loads webhook configurations through a watch: a moment, not no time.
      report(`waiting ${run.settleSeconds}s for the API servers to load the new caBundle`);
      await (run.sleep ?? delay)(run.settleSeconds * 1000);
    }
    // The files first: the new CA's key is on disk before the cluster depends on it.
    replaceCertificateFiles(run.certsDir, fresh);
    const secret = tlsSecret(run.namespace, fresh);
    await run.client.apply(secret, { forceConflicts: false });
    report(`step 2/4: new serving pair written to ${run.certsDir} and applied to ${describe(secret)}`);
    await waitForNewPair(run, webhookUrl, fresh.tlsCert, both);
    await setBundle(run, target.webhook, joinBundle([fresh.caCert]), 'step 4/4: caBundle = new CA only');
    report('CA rotated: the old CA is no longer trusted');
  } catch (error) {
    const code = error instanceof InstallerError ? error.code : 'ROTATION_STALLED';
    const reason = error instanceof Error ? error.message : 'unknown error';
    throw new InstallerError(code, `${reason}; ${state}; rerun npm run cluster:rotate-ca once that is fixed`, {
      cause: error,
    });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** The certificate tool with --force in a directory of its own: a new CA, and a pair under it with the old pair's names. */
async function makeAuthority(
  run: RotationRun,
  target: RotationTarget,
  webhookUrl: string | undefined,
  directory: string,
): Promise<CertificateSet> {
  const names = extraNames(target.servingCert, proxyName, run.namespace);
  if (webhookUrl !== undefined && !names.includes(hostOf(webhookUrl))) names.push(hostOf(webhookUrl));
  await runCertsTool({ directory, service: proxyName, namespace: run.namespace, names, mode: 'force' }, (line) =>
    run.report(`  certs: ${line.replace(directory, '(a temporary directory)')}`),
  );
  return readCertificateSet(directory);
}

async function setBundle(run: RotationRun, webhook: WebhookConfiguration, bundle: string, step: string) {
  const updated = withCaBundle(webhook, bundle);
  await run.client.apply(updated, { forceConflicts: false });
  run.report(`${step} on ${describe(updated)}`);
}

async function waitForNewPair(run: RotationRun, webhookUrl: string | undefined, tlsCert: string, bundle: string) {
  const sleep = run.sleep ?? delay;
  if (webhookUrl === undefined) {
    run.report(
      `step 3/4: waiting ${run.graceSeconds}s for the proxy pods to serve the new pair: the kubelet refreshes mounted Secrets within about a minute (its sync period plus cache), and the proxy reloads them without a restart (--grace-seconds sets this wait)`,
    );
    return sleep(run.graceSeconds * 1000);
  }
  const expected = fingerprintOf(tlsCert);
  const deadline = Date.now() + run.waitSeconds * 1000;
  run.report(`step 3/4: waiting up to ${run.waitSeconds}s for the proxy at ${webhookUrl} to serve the new pair`);
  for (;;) {
    const served = await readServedFingerprint(webhookUrl, bundle);
    if ('fingerprint' in served && served.fingerprint === expected) return run.report('the proxy serves the new pair');
    if (Date.now() >= deadline) {
      const last = 'error' in served ? served.error : 'it still serves the old certificate';
      throw new InstallerError(
        'ROTATION_STALLED',
        `the proxy at ${webhookUrl} did not serve the new certificate within ${run.waitSeconds}s (${last}); check that it reloads ${run.certsDir}/tls.crt and tls.key`,
      );
    }
    await sleep(500);
  }
}
