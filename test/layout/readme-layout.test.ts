// The README's Layout section lists every folder of the tree, one line each, and no
// folder that is not there.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../helpers/clean-copy.js';

const roots = ['functions', 'proxy', 'certs', 'deploy', 'test', 'bench'];

function listFolders(): string[] {
  const folders = roots.flatMap((root) => [
    `${root}/`,
    ...readdirSync(join(repositoryRoot, root), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${join(entry.parentPath, entry.name).slice(repositoryRoot.length)}/`),
  ]);
  // Fixture folders are data, described by test/fixtures/ as a whole.
  return folders.filter((folder) => !folder.startsWith('test/fixtures/') || folder === 'test/fixtures/').sort();
}

function readLayoutFolders(readme: string): string[] {
  const section = readme.split(/^## Layout$/m)[1]?.split(/^## /m)[0] ?? '';
  const block = section.split('```')[1] ?? '';
  return block
    .split('\n')
    .map((line) => line.split(/\s+/)[0] ?? '')
    .filter((path) => path.endsWith('/'))
    .sort();
}

describe('the README layout', () => {
  it('names every folder of the tree, and only those', () => {
    const readme = readFileSync(join(repositoryRoot, 'README.md'), 'utf8');
    expect(readLayoutFolders(readme)).toEqual(listFolders());
  });
});
