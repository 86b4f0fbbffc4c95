// What every bundle of this repository shares: ESM for Node 20 and 22, one require()
// for the CommonJS packages inside (an ESM bundle has none of its own), licences kept.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';

/** The repository root (this module runs from dist/deploy/build/). */
export const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

export const nodeBundle: BuildOptions = {
  absWorkingDir: repositoryRoot,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  legalComments: 'eof',
  logLevel: 'warning',
};

/** Empties a build output directory (relative to the root) before a bundle is written there. */
export function clearOutput(directory: string): void {
  rmSync(`${repositoryRoot}${directory}`, { recursive: true, force: true });
}
