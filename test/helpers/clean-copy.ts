// A copy of the repository as a clean clone would have it: the files git tracks plus
// the new ones it does not ignore (what a commit of the working tree would hold),
// without node_modules, dist or local state.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

export function listRepositoryFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repositoryRoot,
    encoding: 'utf8',
  });
  const files = listed.split('\0').filter((file) => file && existsSync(join(repositoryRoot, file)));
  return [...new Set(files)];
}

/** Copies the repository into a new temporary directory, leaving out paths that `skip` names. */
export function makeCleanCopy(prefix: string, skip: (file: string) => boolean = () => false): string {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  for (const file of listRepositoryFiles().filter((name) => !skip(name))) {
    mkdirSync(dirname(join(directory, file)), { recursive: true });
    copyFileSync(join(repositoryRoot, file), join(directory, file));
  }
  return directory;
}
