// The function app as Azure runs it: dist/functions compiled by tsc, bundled by esbuild
// into dist/app (package.json "main"), one file per function plus shared chunks.
// Resolving and reading some 400 small modules of @azure/functions and zod is most of
// a cold start; one bundle halves it (npm run bench: cold start).
// What is loaded only off the hot path stays a normal import: twilio (notify, when an
// SMS is sent), @azure/data-tables and @azure/identity (notify's shared state, on its
// first message), yaml (only for a policy file without its precompiled policy). The CEL
// library is bundled into the policy's lazily loaded chunk: with a policy file it is on
// the start-up path, and one chunk loads some 10 ms sooner than its 14 modules (npm run
// bench: cold start). The policy's YAML reader and its JSON reader are separate chunks,
// so a start from a precompiled policy never loads the YAML parser.
// Run by `npm run build` after tsc.
import { build } from 'esbuild';
import { clearOutput, nodeBundle } from './esbuild-options.js';

export const functionAppBundle = 'dist/app';
const bundleEntries = ['admission', 'notify'] as const;
const notBundled = [
  'twilio',
  '@azure/data-tables',
  '@azure/identity',
  'yaml',
  // Provided by the Functions worker at run time, through `require`.
  '@azure/functions-core',
];

clearOutput(functionAppBundle);
await build({
  ...nodeBundle,
  entryPoints: bundleEntries.map((name) => `dist/functions/${name}.js`),
  outdir: functionAppBundle,
  chunkNames: 'chunks/[name]-[hash]', // out of package.json's "main" glob
  splitting: true, // one copy of @azure/functions and zod for both functions
  external: notBundled,
});
