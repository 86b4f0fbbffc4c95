// The install command's shell: certificates, the function key and the manifests in;
// then either the plan printed as YAML (--dry-run: nothing written, nothing sent) or
// the plan applied to the cluster the kubeconfig and context name.
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { hostOf } from './certificate-names.js';
import { type InstallPlan, type KubernetesObject, planInstall, proxyName } from './install-manifests.js';
import { InstallerError } from './installer-error.js';
import type { InstallOptions } from './installer-flags.js';
import { readManifests } from './read-manifests.js';
import { provideServingCertificates } from './serving-certificates.js';

export async function runInstall(options: InstallOptions, report: (line: string) => void): Promise<number> {
  const material = await provideServingCertificates(
    {
      directory: options.certsDir,
      service: proxyName,
      namespace: options.namespace,
      names: options.webhookUrl ? [hostOf(options.webhookUrl)] : [],
      dryRun: options.dryRun,
    },
    report,
  );
  const functionKey = readFunctionKey(options.functionKeyFile);
  const plan = planInstall(readManifests(), options, { ...material, functionKey });
  if (options.dryRun) {
    printDryRun(plan, report);
    return 0;
  }
  // Loaded only when a cluster is talked to: the client costs about a second.
  const { connectCluster } = await import('./cluster-client.js');
  const { install } = await import('./install.js');
  const { deploymentReadiness, urlReadiness } = await import('./proxy-readiness.js');
  const client = connectCluster(options);
  report(`installing into ${client.server}, namespace ${options.namespace}`);
  await install({
    client,
    plan,
    namespace: options.namespace,
    keepExistingKey: functionKey === undefined,
    forceConflicts: options.forceConflicts,
    waitSeconds: options.waitSeconds,
    readiness: options.webhookUrl
      ? urlReadiness(options.webhookUrl, material.caCert)
      : deploymentReadiness(client, options.namespace),
    report,
  });
  return 0;
}

function readFunctionKey(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  let key: string;
  try {
    key = readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new InstallerError('MISSING_INPUT', `cannot read --function-key-file ${file}`, { cause: error });
  }
  if (key === '') throw new InstallerError('MISSING_INPUT', `--function-key-file ${file} is empty`);
  return key;
}

/** Valid YAML only on stdout: every other line of a dry run goes to `report` (stderr). */
function printDryRun(plan: InstallPlan, report: (line: string) => void): void {
  report('dry run: nothing is sent to the cluster; Secret data is left out below');
  const documents = [...plan.workload, plan.webhook].map((object) => stringify(elideSecretData(object)));
  process.stdout.write(`---\n${documents.join('---\n')}`);
}

function elideSecretData(object: KubernetesObject): KubernetesObject {
  if (object.kind !== 'Secret') return object;
  const { data, ...rest } = object;
  const keys = typeof data === 'object' && data !== null ? Object.keys(data).join(', ') : '';
  return {
    ...rest,
    metadata: { ...rest.metadata, annotations: { 'admission.serverless.io/dry-run': `data elided: ${keys}` } },
  };
}
