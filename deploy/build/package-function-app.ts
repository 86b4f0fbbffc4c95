// npm run package:function-app [-- --policy FILE]: the directory `func azure functionapp
// publish` uploads, in dist/function-app: host.json, package.json with its lock, the
// bundle (dist/app, which package.json "main" globs), the policy file as policy.yaml
// at the app root (--policy, else the repository's policy.yaml, if any) with its
// precompiled policy.precompiled.json (start-up reads it instead of the YAML; a policy
// that would not load stops the packaging with start-up's message), and
// node_modules with production dependencies only (twilio, @azure/data-tables, yaml, the CEL compiler,
// @azure/functions). No sources, tests or dev dependencies.
// test/ship/function-app-package.test.ts loads it from a clean copy.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { clearOutput, repositoryRoot } from './esbuild-options.js';
import { writePrecompiledPolicy } from './precompile-policy.js';

const output = 'dist/function-app';
const target = `${repositoryRoot}${output}`;

const { values } = parseArgs({ options: { policy: { type: 'string' } }, strict: true });
const policy =
  values.policy ?? (existsSync(`${repositoryRoot}policy.yaml`) ? `${repositoryRoot}policy.yaml` : undefined);

clearOutput(output);
mkdirSync(target, { recursive: true });
for (const file of ['host.json', 'package.json', 'package-lock.json']) {
  copyFileSync(`${repositoryRoot}${file}`, `${target}/${file}`);
}
cpSync(`${repositoryRoot}dist/app`, `${target}/dist/app`, { recursive: true });
if (policy !== undefined) {
  copyFileSync(policy, `${target}/policy.yaml`);
  await writePrecompiledPolicy(`${target}/policy.yaml`).catch((error: unknown) => {
    console.error(`not packaged: ${policy} would not load: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
execFileSync(npm, ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], {
  cwd: target,
  stdio: 'inherit',
  shell: process.platform === 'win32',
});
const megabytes = (sizeOf(target) / 1024 / 1024).toFixed(1);
console.log(`function app package in ${output}: ${megabytes} MiB, policy: ${policy ?? 'none (the built-in policy)'}`);
console.log(`publish it with: cd ${output} && func azure functionapp publish <app> --no-build`);

function sizeOf(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.size;
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0);
}
