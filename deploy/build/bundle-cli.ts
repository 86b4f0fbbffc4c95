// The admission-check CLI as users install it: a package of its own in dist/cli, with
// no dependencies (`npm install -g <tarball>` needs nothing else). The entry bundle holds
// the kernel, zod and yaml; what only some runs need is split into chunks/ and loaded on
// use: the CEL compiler (with a policy file) and @kubernetes/client-node (audit only), so
// that `check` and `test` start without parsing the Kubernetes client.
// `npm pack dist/cli` makes the tarball; test/ship/cli-package.test.ts installs it.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { clearOutput, nodeBundle, repositoryRoot } from './esbuild-options.js';

const output = 'dist/cli';
const testSchema = 'admission-test.schema.json';

clearOutput(output);
await build({
  ...nodeBundle,
  entryPoints: { 'admission-check': 'dist/deploy/admission-check/admission-check.js' },
  outdir: output,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
});
copyFileSync(`${repositoryRoot}deploy/admission-check/${testSchema}`, `${repositoryRoot}${output}/${testSchema}`);
const root = JSON.parse(readFileSync(`${repositoryRoot}package.json`, 'utf8'));
const manifest = {
  name: 'serverless-admission-check',
  version: root.version,
  description: "Checks Kubernetes manifests, test files and live clusters against serverless-admission's policy",
  license: root.license,
  type: 'module',
  bin: { 'admission-check': 'admission-check.js' },
  files: ['admission-check.js', 'chunks/', testSchema],
  engines: root.engines,
};
writeFileSync(`${repositoryRoot}${output}/package.json`, `${JSON.stringify(manifest, null, 2)}\n`);
