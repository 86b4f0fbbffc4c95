// npm run cluster:install | cluster:uninstall | cluster:status
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { type KubernetesObject, planInstall, proxyName, readBaseManifests } from './install-manifests.js';
import { InstallerError } from './installer-error.js';
import { type InstallOptions, installerUsage, parseInstallerArgs } from './installer-options.js';
import { provideServingCertificates } from './serving-certificates.js';

async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseInstallerArgs(argv);
  if ('error' in parsed) {
    console.error(`installer: USAGE: ${parsed.error}\n${installerUsage}`);
    return 2;
  }
  const { command, options } = parsed.value;
  // A dry run prints manifests on stdout; progress then goes to stderr.
  const report = (line: string) => (command === 'install' && options.dryRun ? console.error(line) : console.log(line));
  if (command === 'install') return runInstall(options, report);

  // Loaded only for commands that talk to a cluster: the client costs about a second.
  const { createClusterClient, loadKubeConfig } = await import('./cluster-client.js');
  const client = createClusterClient(loadKubeConfig());
  if (command === 'uninstall') {
    const { uninstall } = await import('./uninstall.js');
    await uninstall(client, options.namespace, report);
    return 0;
  }
  const { status } = await import('./status.js');
  return (await status(client, options.namespace, report)) ? 0 : 1;
}

async function runInstall(options: InstallOptions, report: (line: string) => void): Promise<number> {
  const material = await provideServingCertificates(
    { directory: options.certsDir, service: proxyName, namespace: options.namespace },
    report,
  );
  const functionKey = options.functionKeyFile ? readFileSync(options.functionKeyFile, 'utf8').trim() : undefined;
  if (functionKey === '') throw new Error(`--function-key-file ${options.functionKeyFile} is empty`);
  const plan = planInstall(readBaseManifests(), options, { ...material, functionKey });

  if (options.dryRun) {
    report('dry run: nothing is sent to the cluster; Secret data is left out below');
    const documents = [...plan.workload, plan.webhook].map((object) => stringify(elideSecretData(object)));
    console.log(`---\n${documents.join('---\n')}`);
    return 0;
  }
  const { createClusterClient, loadKubeConfig } = await import('./cluster-client.js');
  const { install } = await import('./install.js');
  const client = createClusterClient(loadKubeConfig());
  report(`installing into ${client.server}, namespace ${options.namespace}`);
  await install({
    client,
    plan,
    namespace: options.namespace,
    keepExistingKey: functionKey === undefined,
    forceConflicts: options.forceConflicts,
    waitSeconds: options.waitSeconds,
    report,
  });
  return 0;
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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const code = error instanceof InstallerError ? `${error.code}: ` : '';
    console.error(`installer: ${code}${error instanceof Error ? error.message : 'unknown error'}`);
    process.exit(1);
  },
);
