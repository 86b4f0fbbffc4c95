// What the Functions worker loads: the files package.json "main" globs (dist/app/*.js).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

export const mainGlob: string = JSON.parse(readFileSync(`${root}package.json`, 'utf8')).main;

/** The directory "main" globs, relative to the repository root. */
export function mainDirectory(): string {
  const match = /^(.*)\/\*\.js$/.exec(mainGlob);
  if (!match?.[1]) throw new Error(`package.json main should glob registration files, got ${mainGlob}`);
  if (!existsSync(`${root}${match[1]}`)) throw new Error(`${match[1]} is missing; run npm run build first`);
  return match[1];
}

/** Absolute paths of the entry modules. */
export function entryModules(): string[] {
  const directory = `${root}${mainDirectory()}`;
  return readdirSync(directory)
    .filter((file) => file.endsWith('.js'))
    .map((file) => `${directory}/${file}`);
}
