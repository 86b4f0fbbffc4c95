// npm run cluster:install | cluster:rotate-ca | cluster:uninstall | cluster:status
import { InstallerError } from './installer-error.js';
import { type Command, installerUsage, parseInstallerArgs } from './installer-options.js';

async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseInstallerArgs(argv);
  if ('error' in parsed) {
    console.error(`installer: USAGE: ${parsed.error}\n${installerUsage}`);
    return 2;
  }
  const command = parsed.value;
  // A dry run prints manifests on stdout; progress then goes to stderr.
  const dryRun = command.command === 'install' && command.options.dryRun;
  const report = (line: string) => (dryRun ? console.error(line) : console.log(line));
  return run(command, report);
}

/** Each command's module is loaded when it runs: the cluster client alone costs about a second. */
async function run({ command, options }: Command, report: (line: string) => void): Promise<number> {
  if (command === 'install') {
    const { runInstall } = await import('./run-install.js');
    return runInstall(options, report);
  }
  const { connectCluster } = await import('./cluster-client.js');
  const client = connectCluster(options);
  if (command === 'rotate-ca') {
    const { rotateCa } = await import('./rotate-ca.js');
    report(`rotating the CA of ${client.server}, namespace ${options.namespace}`);
    await rotateCa({ client, ...options, report });
    return 0;
  }
  if (command === 'uninstall') {
    const { uninstall } = await import('./uninstall.js');
    await uninstall(client, options.namespace, report);
    return 0;
  }
  const { status } = await import('./status.js');
  return (await status(client, options.namespace, report)) ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const code = error instanceof InstallerError ? `${error.code}: ` : '';
    console.error(`installer: ${code}${error instanceof Error ? error.message : 'unknown error'}`);
    process.exit(1);
  },
);
