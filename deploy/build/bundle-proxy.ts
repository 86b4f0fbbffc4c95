// npm run build:proxy: the proxy image's whole program, one file. The Dockerfile runs
// this script in its build stage and copies dist/proxy-image/ alone into the image,
// so the image holds the bundle and Node, and none of the function app's packages
// (twilio and the rest). test/ship/proxy-image.test.ts runs the same steps.
import { readFileSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { clearOutput, nodeBundle, repositoryRoot } from './esbuild-options.js';

const output = 'dist/proxy-image';

clearOutput(output);
await build({
  ...nodeBundle,
  entryPoints: ['dist/proxy/main.js'],
  outfile: `${output}/main.mjs`,
  target: 'node22', // the image's Node
});
// The image runs `node main.mjs`; a package.json says the version and that it is ESM.
const { version } = JSON.parse(readFileSync(`${repositoryRoot}package.json`, 'utf8'));
writeFileSync(
  `${repositoryRoot}${output}/package.json`,
  `${JSON.stringify({ name: 'admission-proxy', version, private: true, type: 'module' }, null, 2)}\n`,
);
