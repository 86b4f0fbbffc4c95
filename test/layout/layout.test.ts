// The layout the README describes, enforced: import boundaries between the kernel, the
// wire module, the proxy, the function app and the tools; small files and functions;
// casts only at trust boundaries. Each rule is also shown to fail when broken.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../helpers/clean-copy.js';
import {
  checkCasts,
  checkFileLengths,
  checkFunctionLengths,
  checkImports,
  relativePath,
  type SourceFile,
} from '../helpers/layout-rules.js';

const sourceFolders = ['functions', 'proxy', 'certs', 'deploy'];

function readSources(): SourceFile[] {
  return sourceFolders.flatMap((folder) =>
    readdirSync(join(repositoryRoot, folder), { recursive: true })
      .map(String)
      .filter((name) => name.endsWith('.ts'))
      .map((name) => {
        const file = join(repositoryRoot, folder, name);
        return { path: relativePath(repositoryRoot, file), text: readFileSync(file, 'utf8') };
      }),
  );
}

const sources = readSources();

describe('the layout', () => {
  it('keeps every import inside its boundary', () => {
    expect(checkImports(sources)).toEqual([]);
  });

  it('keeps the function app folder to entry files, the kernel and its shells', () => {
    const top = readdirSync(join(repositoryRoot, 'functions')).sort();
    expect(top).toEqual(['admission.ts', 'core', 'notify.ts', 'shells']);
  });

  it('has no source file over 200 lines and no function over 60', () => {
    expect(checkFileLengths(sources, 200)).toEqual([]);
    expect(checkFunctionLengths(sources, 60)).toEqual([]);
  });

  it('casts only at trust boundaries, each saying so', () => {
    expect(checkCasts(sources)).toEqual([]);
  });
});

describe('the layout rules', () => {
  const file = (path: string, text: string): SourceFile => ({ path, text });

  it.each([
    [
      'the proxy reaching into the kernel',
      file('proxy/relay.ts', "import { decide } from '../functions/core/decide.js';"),
    ],
    ['the wire module importing anything', file('functions/core/wire.ts', "import { z } from 'zod';")],
    ['the kernel doing I/O', file('functions/core/decide.ts', "import { readFileSync } from 'node:fs';")],
    [
      'the kernel importing a shell',
      file('functions/core/decide.ts', "import { x } from '../shells/http/read-body.js';"),
    ],
    [
      'a shell importing a kernel internal',
      file('functions/shells/http/a.ts', "import { x } from '../../core/decide.js';"),
    ],
    [
      'a tool importing another tool',
      file('deploy/installer/main.ts', "import { x } from '../../certs/issue-certificates.js';"),
    ],
    [
      'a tool importing a shell',
      file('deploy/admission-check/a.ts', "import { x } from '../../functions/shells/load-policy.js';"),
    ],
    [
      'the function app importing a tool',
      file('functions/notify.ts', "import { x } from '../deploy/local/start-stack.js';"),
    ],
    ['a dynamic import across a boundary', file('proxy/main.ts', "const x = await import('../certs/main.js');")],
  ])('reports %s', (_crossing, crossing) => {
    expect(checkImports([crossing])).toHaveLength(1);
  });

  it('allows the proxy the wire module, and tools the kernel entry', () => {
    const allowed = [
      file('proxy/relay.ts', "import { maxReviewBytes } from '../functions/core/wire.js';"),
      file('deploy/admission-check/a.ts', "import { decide } from '../../functions/core/index.js';"),
      file('deploy/local/host.ts', "import { admission } from '../../functions/admission.js';"),
    ];
    expect(checkImports(allowed)).toEqual([]);
  });

  it('reports long files, long functions and unexplained casts', () => {
    const long = file('proxy/long.ts', `function f() {\n${'  call();\n'.repeat(61)}}\n`);
    expect(checkFileLengths([long], 60)).toHaveLength(1);
    expect(checkFunctionLengths([long], 60)).toEqual(['proxy/long.ts:1: a function of 63 lines']);
    const casts = file(
      'proxy/a.ts',
      'const a = b as string;\n// Trust boundary: parsed above.\nconst c = d as number;\nconst e = [1] as const;\n',
    );
    expect(checkCasts([casts])).toEqual(['proxy/a.ts:1: b as string']);
  });
});
