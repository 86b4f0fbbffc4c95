// The function app's root: the nearest directory above this module that holds
// host.json. The same from the TypeScript sources (tests) and from dist/ (the app).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function findAppRoot(from: string = fileURLToPath(import.meta.url)): string {
  for (let directory = dirname(from); ; directory = dirname(directory)) {
    if (existsSync(join(directory, 'host.json'))) return directory;
    if (dirname(directory) === directory) throw new Error('host.json not found above the function app modules');
  }
}
