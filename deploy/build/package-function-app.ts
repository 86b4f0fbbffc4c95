// npm run package:function-app: the directory `func azure functionapp publish` uploads,
// in dist/function-app: host.json, package.json with its lock, the bundle (dist/app,
// which package.json "main" globs) and node_modules with production dependencies only
// (twilio, yaml, the CEL compiler, @azure/functions). No sources, tests or dev
// dependencies. test/ship/function-app-package.test.ts loads it from a clean copy.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync } from 'node:fs';
import { clearOutput, repositoryRoot } from './esbuild-options.js';

const output = 'dist/function-app';
const target = `${repositoryRoot}${output}`;

clearOutput(output);
mkdirSync(target, { recursive: true });
for (const file of ['host.json', 'package.json', 'package-lock.json'])
  copyFileSync(`${repositoryRoot}${file}`, `${target}/${file}`);
cpSync(`${repositoryRoot}dist/app`, `${target}/dist/app`, { recursive: true });
execFileSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], {
  cwd: target,
  stdio: 'inherit',
});
const size = execFileSync('du', ['-sh', target], { encoding: 'utf8' }).split('\t')[0];
console.log(
  `function app package in ${output}: ${size}; publish it with: cd ${output} && func azure functionapp publish <app> --no-build`,
);
