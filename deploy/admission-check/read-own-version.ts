// The version of the package this file ships in: the nearest package.json above it
// (beside the bundle in the installed CLI, the repository's in a checkout).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function readOwnVersion(moduleUrl: string): string {
  for (let directory = dirname(fileURLToPath(moduleUrl)); ; directory = dirname(directory)) {
    const file = join(directory, 'package.json');
    if (existsSync(file)) {
      const manifest: unknown = JSON.parse(readFileSync(file, 'utf8'));
      const version =
        typeof manifest === 'object' && manifest !== null && 'version' in manifest ? manifest.version : undefined;
      return typeof version === 'string' ? version : 'unknown';
    }
    if (dirname(directory) === directory) return 'unknown';
  }
}
