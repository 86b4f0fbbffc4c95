// The admission-check CLI as users install it: a package of its own in dist/cli, one
// bundled file (the kernel, zod, yaml and the CEL compiler inside) and a package.json
// with no dependencies, so `npm install -g <tarball>` needs nothing else.
// `npm pack dist/cli` makes the tarball; test/ship/cli-package.test.ts installs it.
import { readFileSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { clearOutput, nodeBundle, repositoryRoot } from './esbuild-options.js';

const output = 'dist/cli';

clearOutput(output);
await build({
  ...nodeBundle,
  entryPoints: ['dist/deploy/admission-check/admission-check.js'],
  outfile: `${output}/admission-check.js`,
});
const root = JSON.parse(readFileSync(`${repositoryRoot}package.json`, 'utf8'));
const manifest = {
  name: 'serverless-admission-check',
  version: root.version,
  description: "Checks Kubernetes manifests against serverless-admission's policy before they reach a cluster",
  license: root.license,
  type: 'module',
  bin: { 'admission-check': 'admission-check.js' },
  files: ['admission-check.js'],
  engines: root.engines,
};
writeFileSync(`${repositoryRoot}${output}/package.json`, `${JSON.stringify(manifest, null, 2)}\n`);
